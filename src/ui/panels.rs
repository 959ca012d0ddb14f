//! The contents of the small windows (About, shortcuts, fields, export) and the empty-map
//! prompt. Each draws and returns the user's request as an [`Action`].

use egui::{RichText, Ui};

use crate::model::{FieldChoice, Layer};
use crate::ui::Action;

pub fn shortcuts_ui(ui: &mut Ui) {
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (keys, what) in crate::ui::keymap::help_rows() {
                ui.strong(keys);
                ui.label(what);
                ui.end_row();
            }
        });
}

pub fn about_ui(ui: &mut Ui) {
    ui.heading("Footprints");
    ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
    ui.label(
        "An offline map of England's 44 health and care footprints of 2016 (Sustainability and \
         Transformation Plans): who led each one, how many people live there, and which CCGs, \
         NHS trusts and councils belong to it.",
    );
    ui.separator();
    ui.strong("Data attribution");
    for line in crate::DATA_ATTRIBUTION {
        ui.label(*line);
    }
    ui.label("Online tiles, when chosen: © OpenStreetMap contributors (ODbL).");
    ui.separator();
    ui.strong("About the data");
    for caveat in [
        "Boundaries: 41 footprints are ONS STP polygons (April 2019 release); the three northern footprints merged in 2018 (E54000045–47) were rebuilt from their 2019 CCGs. This is the 2017–18 version of the footprints.",
        "Leads: 31 verified for 2016, 3 partly verified, 4 known only as later leads (dated), 1 unconfirmed, 5 not found. Missing leads are shown as not known.",
        "Population: ONS mid-2019 estimates summed from LSOAs (England 56,286,961), not the 2016 figures, which were not found.",
        "Members: CCGs as of April 2019; councils by area overlay (18 are split between footprints); trusts combine a 2017/18 acute list with 2022 headquarters, so ambulance and mental health trusts are indicative only.",
    ] {
        ui.label(RichText::new(caveat).small());
    }
    ui.separator();
    ui.hyperlink_to(
        "Open Government Licence v3.0",
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    );
}

/// The code/name field chooser for a layer; returns a new choice when changed.
pub fn fields_ui(ui: &mut Ui, layer: &Layer) -> Option<FieldChoice> {
    let mut choice = layer.fields.clone();
    let mut changed = false;
    ui.label(format!("Layer: {}", layer.title));
    ui.label(
        RichText::new("Which properties identify and name each area (detected automatically).")
            .small(),
    );
    egui::Grid::new("fields").num_columns(2).show(ui, |ui| {
        for (label, slot) in [
            ("Code field", &mut choice.code),
            ("Name field", &mut choice.name),
        ] {
            ui.label(label);
            egui::ComboBox::from_id_salt(label)
                .selected_text(slot.clone().unwrap_or_else(|| "(none)".into()))
                .show_ui(ui, |ui| {
                    if ui.selectable_label(slot.is_none(), "(none)").clicked() {
                        *slot = None;
                        changed = true;
                    }
                    for key in &layer.property_keys {
                        if ui
                            .selectable_label(slot.as_deref() == Some(key), key)
                            .clicked()
                        {
                            *slot = Some(key.clone());
                            changed = true;
                        }
                    }
                });
            ui.end_row();
        }
    });
    changed.then_some(choice)
}

/// The middle-of-the-map prompt when nothing is open.
pub fn empty_prompt_ui(ui: &mut Ui) -> Option<Action> {
    let mut action = None;
    ui.vertical_centered(|ui| {
        ui.heading("No boundaries loaded");
        ui.label("This copy of Footprints was built without the default footprints.");
        ui.add_space(8.0);
        if ui
            .add(egui::Button::new(
                RichText::new("Open boundaries…").size(18.0),
            ))
            .clicked()
        {
            action = Some(Action::OpenDialog);
        }
        ui.label("or drop a GeoJSON file onto this window");
    });
    action
}

/// Accessible name of the export window's file box.
pub const EXPORT_FILE_LABEL: &str = "Export to file";

/// Formats and sizes offered by the export window.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportForm {
    pub path: String,
    pub title: String,
    /// Index into [`EXPORT_SIZES`].
    pub size: usize,
    /// Set when the file exists and the user has not yet said to replace it.
    pub confirm_replace: bool,
    /// The board pack (a cover and a page per footprint) rather than the map.
    pub pack: bool,
    /// The pack's regions, as typed (comma-separated parts of names; empty: all).
    pub regions: String,
}

/// (label, paper, dpi); `None` paper means twice the map's size on screen.
pub const EXPORT_SIZES: &[(&str, Option<crate::render::export::Paper>, f64)] = &[
    (
        "A4 landscape, 150 dpi",
        Some(crate::render::export::Paper::A4),
        150.0,
    ),
    (
        "A4 landscape, 300 dpi",
        Some(crate::render::export::Paper::A4),
        300.0,
    ),
    (
        "A3 landscape, 150 dpi",
        Some(crate::render::export::Paper::A3),
        150.0,
    ),
    (
        "A3 landscape, 300 dpi",
        Some(crate::render::export::Paper::A3),
        300.0,
    ),
    ("Twice the map on screen", None, 192.0),
];

/// The export window: returns the user's request.
pub fn export_ui(ui: &mut Ui, form: &mut ExportForm) -> Option<Action> {
    let mut action = None;
    egui::Grid::new("export")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label("Title");
            ui.add(egui::TextEdit::singleline(&mut form.title).desired_width(360.0));
            ui.end_row();
            ui.label("Size");
            egui::ComboBox::from_id_salt("export_size")
                .selected_text(EXPORT_SIZES[form.size.min(EXPORT_SIZES.len() - 1)].0)
                .show_ui(ui, |ui| {
                    for (i, (label, _, _)) in EXPORT_SIZES.iter().enumerate() {
                        ui.selectable_value(&mut form.size, i, *label);
                    }
                });
            ui.end_row();
            if form.pack {
                ui.label("Regions");
                ui.add(
                    egui::TextEdit::singleline(&mut form.regions)
                        .desired_width(360.0)
                        .hint_text("all (or e.g. London, North West)"),
                );
                ui.end_row();
            }
            ui.label("File");
            let response = ui.add(egui::TextEdit::singleline(&mut form.path).desired_width(360.0));
            ui.ctx()
                .accesskit_node_builder(response.id, |node| node.set_label(EXPORT_FILE_LABEL));
            if response.changed() {
                form.confirm_replace = false;
            }
            ui.end_row();
        });
    if form.pack {
        ui.label(
            RichText::new("A .pdf: a cover (England map, contents) and a page per footprint, each with its map, people, members and the data's notes, a bookmark each. Any other path is a folder of numbered PNG pages, for slides.")
                .small(),
        );
    } else {
        ui.label(
            RichText::new("The file's ending chooses the format: .png, .svg (vectors) or .pdf (vectors, paper size).")
                .small(),
        );
        ui.label(
            RichText::new(
                "What is on the map is exported: colours, labels, selection, legend and attribution.",
            )
            .small(),
        );
    }
    if form.confirm_replace {
        ui.horizontal(|ui| {
            ui.colored_label(ui.visuals().warn_fg_color, "That file exists.");
            if ui.button("Replace it").clicked() {
                action = Some(Action::Export { replace: true });
            }
        });
    } else if ui.button("Export").clicked() {
        action = Some(Action::Export { replace: false });
    }
    action
}
