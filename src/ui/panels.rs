//! Menus, status bar and small windows (About, shortcuts, fields). Each draws and returns the
//! user's request as an [`Action`].

use egui::{RichText, Ui};

use crate::model::{FieldChoice, Layer};
use crate::settings::{Settings, ThemeChoice, TileChoice};
use crate::ui::Action;
use crate::ui::keymap::shortcut_text;

/// What the menu bar needs to know.
/// A layer as the Layers menu shows it.
pub struct LayerRow {
    pub title: String,
    pub active: bool,
    pub visible: bool,
    pub opacity: f32,
}

pub struct MenuState<'a> {
    pub settings: &'a Settings,
    /// Open layers, bottom first.
    pub layers: Vec<LayerRow>,
    /// Ids of the built-in layers already open.
    pub open_built_ins: Vec<&'static str>,
    pub has_selection: bool,
    pub fullscreen: bool,
    pub show_list: bool,
    /// Numeric properties of the active layer (choices for a choropleth).
    pub numeric_properties: Vec<String>,
    /// The tile server address being typed.
    pub tile_server_draft: &'a mut String,
}

/// The menu bar, with `right` (the search box) drawn at its right end.
pub fn menu_bar_ui(
    ui: &mut Ui,
    state: &mut MenuState,
    right: impl FnOnce(&mut Ui) -> Option<Action>,
) -> (Option<Action>, Option<Action>) {
    let mut action = None;
    let mut right_action = None;
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            if ui
                .add(
                    egui::Button::new("Open boundaries…")
                        .shortcut_text(shortcut_text(ui.ctx(), &Action::OpenDialog)),
                )
                .clicked()
            {
                action = Some(Action::OpenDialog);
            }
            if ui.button("Open from path…").clicked() {
                action = Some(Action::OpenPathPrompt);
            }
            if ui
                .button("Load your details…")
                .on_hover_text(
                    "A CSV or JSON file of leads, populations, members or notes by area code",
                )
                .clicked()
            {
                action = Some(Action::ChooseDetails);
            }
            if !state.settings.details_files.is_empty() {
                ui.menu_button("Your details files", |ui| {
                    for path in &state.settings.details_files {
                        ui.horizontal(|ui| {
                            ui.label(path.display().to_string());
                            if ui.small_button("Reload").clicked() {
                                action = Some(Action::LoadDetails(path.clone()));
                            }
                            if ui.small_button("Forget").clicked() {
                                action = Some(Action::ForgetDetails(path.clone()));
                            }
                        });
                    }
                });
            }
            if ui
                .add(
                    egui::Button::new("Export map…")
                        .shortcut_text(shortcut_text(ui.ctx(), &Action::ShowExport)),
                )
                .clicked()
            {
                action = Some(Action::ShowExport);
            }
            ui.menu_button("Open recent", |ui| {
                if state.settings.recent_files.is_empty() {
                    ui.label(RichText::new("No recent files").italics());
                }
                for path in &state.settings.recent_files {
                    if ui.button(path.display().to_string()).clicked() {
                        action = Some(Action::OpenPaths(vec![path.clone()]));
                    }
                }
            });
            ui.separator();
            if ui
                .add(egui::Button::new("Quit").shortcut_text(shortcut_text(ui.ctx(), &Action::Quit)))
                .clicked()
            {
                action = Some(Action::Quit);
            }
        });
        ui.menu_button("View", |ui| {
            if ui
                .add(egui::Button::new("Fit England").shortcut_text(shortcut_text(ui.ctx(), &Action::FitAll)))
                .clicked()
            {
                action = Some(Action::FitAll);
            }
            if ui
                .add_enabled(
                    state.has_selection,
                    egui::Button::new("Zoom to selection")
                        .shortcut_text(shortcut_text(ui.ctx(), &Action::ZoomToSelection)),
                )
                .clicked()
            {
                action = Some(Action::ZoomToSelection);
            }
            if ui
                .add(egui::Button::new("Zoom in").shortcut_text(shortcut_text(ui.ctx(), &Action::ZoomIn)))
                .clicked()
            {
                action = Some(Action::ZoomIn);
            }
            if ui
                .add(egui::Button::new("Zoom out").shortcut_text(shortcut_text(ui.ctx(), &Action::ZoomOut)))
                .clicked()
            {
                action = Some(Action::ZoomOut);
            }
            ui.separator();
            ui.menu_button("Colour by", |ui| {
                use crate::render::style::ColourBy;
                let current = &state.settings.colour_by;
                for (choice, label) in [
                    (ColourBy::Footprint, "Footprint (neighbours differ)"),
                    (ColourBy::Region, "NHS region"),
                    (ColourBy::Population, "Population (mid-2019)"),
                ] {
                    if ui.radio(*current == choice, label).clicked() {
                        action = Some(Action::SetColourBy(choice));
                    }
                }
                if !state.numeric_properties.is_empty() {
                    ui.separator();
                    ui.label(RichText::new("A property of the layer:").small());
                    for key in &state.numeric_properties {
                        let choice = ColourBy::Property(key.clone());
                        if ui.radio(*current == choice, key).clicked() {
                            action = Some(Action::SetColourBy(choice));
                        }
                    }
                }
            });
            ui.menu_button("Palette", |ui| {
                for palette in crate::render::style::Palette::ALL {
                    if ui
                        .radio(state.settings.palette == palette, palette.name())
                        .clicked()
                    {
                        action = Some(Action::SetPalette(palette));
                    }
                }
                ui.label(
                    RichText::new("Choropleths use viridis, which reads in greyscale.").small(),
                );
            });
            ui.menu_button("Labels", |ui| {
                for mode in crate::render::style::LabelMode::ALL {
                    let on = if state.settings.show_labels {
                        state.settings.label_mode == mode
                    } else {
                        mode == crate::render::style::LabelMode::None
                    };
                    if ui.radio(on, mode.name()).clicked() {
                        action = Some(Action::SetLabelMode(mode));
                    }
                }
                ui.separator();
                let mut labels = state.settings.show_labels;
                if ui.checkbox(&mut labels, "Show labels (L)").clicked() {
                    action = Some(Action::ToggleLabels);
                }
            });
            let mut places = state.settings.show_places;
            if ui.checkbox(&mut places, "Town names (T)").clicked() {
                action = Some(Action::TogglePlaces);
            }
            ui.separator();
            ui.menu_button("Background map", |ui| {
                let tiles = &state.settings.tiles;
                if ui
                    .radio(*tiles == TileChoice::Offline, "Offline map (built in)")
                    .clicked()
                {
                    action = Some(Action::SetTiles(TileChoice::Offline));
                }
                if ui
                    .radio(
                        *tiles == TileChoice::OpenStreetMap,
                        "OpenStreetMap tiles (online)",
                    )
                    .on_hover_text(
                        "Downloads tiles from openstreetmap.org; the offline map stays underneath",
                    )
                    .clicked()
                {
                    action = Some(Action::SetTiles(TileChoice::OpenStreetMap));
                }
                let pm_label = match tiles {
                    TileChoice::PmTiles(path) => format!("PMTiles file: {}", path.display()),
                    _ => "PMTiles file…".to_string(),
                };
                if ui
                    .radio(matches!(tiles, TileChoice::PmTiles(_)), pm_label)
                    .clicked()
                {
                    action = Some(Action::ChoosePmTiles);
                }
                ui.separator();
                ui.label("Tile server (XYZ address with {z}, {x}, {y}):");
                ui.horizontal(|ui| {
                    let edit = ui.add(
                        egui::TextEdit::singleline(&mut *state.tile_server_draft)
                            .hint_text("https://tiles.example.nhs.uk/{z}/{x}/{y}.png")
                            .desired_width(320.0),
                    );
                    let entered =
                        edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("Use").clicked() || entered {
                        action = Some(Action::SetTiles(TileChoice::Server(
                            state.tile_server_draft.trim().to_string(),
                        )));
                    }
                });
                if let TileChoice::Server(template) = tiles {
                    ui.label(format!("In use: {template}"));
                }
            });
            ui.menu_button("Theme", |ui| {
                for (choice, label) in [
                    (ThemeChoice::System, "Follow the system"),
                    (ThemeChoice::Light, "Light"),
                    (ThemeChoice::Dark, "Dark"),
                ] {
                    if ui.radio(state.settings.theme == choice, label).clicked() {
                        action = Some(Action::SetTheme(choice));
                    }
                }
            });
            ui.separator();
            let mut fullscreen = state.fullscreen;
            if ui.checkbox(&mut fullscreen, "Full screen (F11)").clicked() {
                action = Some(Action::ToggleFullscreen);
            }
            if ui
                .add(egui::Button::new("Present…")
                    .shortcut_text(shortcut_text(ui.ctx(), &Action::StartPresentation)))
                .clicked()
            {
                action = Some(Action::StartPresentation);
            }
        });
        ui.menu_button("Layers", |ui| {
            if state.layers.is_empty() {
                ui.label(RichText::new("No layers open").italics());
            }
            if !state.layers.is_empty() {
                ui.label(
                    RichText::new("Top of the list is drawn on top; the chosen one is filled and answers clicks.")
                        .small()
                        .weak(),
                );
            }
            let count = state.layers.len();
            // Top of the menu is the top of the map.
            for (index, row) in state.layers.iter().enumerate().rev() {
                ui.horizontal(|ui| {
                    let mut visible = row.visible;
                    if ui
                        .checkbox(&mut visible, "")
                        .on_hover_text("Show on the map")
                        .clicked()
                    {
                        action = Some(Action::ShowLayer(index, visible));
                    }
                    if ui
                        .radio(row.active, &row.title)
                        .on_hover_text("Fill this layer and let it answer clicks and searches")
                        .clicked()
                    {
                        action = Some(Action::ActivateLayer(index));
                    }
                    let mut opacity = row.opacity;
                    if ui
                        .add(
                            egui::Slider::new(&mut opacity, 0.1..=1.0)
                                .show_value(false)
                                .text("opacity"),
                        )
                        .changed()
                    {
                        action = Some(Action::SetOpacity(index, opacity));
                    }
                    if ui
                        .add_enabled(index + 1 < count, egui::Button::new("⬆").small())
                        .on_hover_text("Move up (drawn later)")
                        .clicked()
                    {
                        action = Some(Action::MoveLayer(index, true));
                    }
                    if ui
                        .add_enabled(index > 0, egui::Button::new("⬇").small())
                        .on_hover_text("Move down")
                        .clicked()
                    {
                        action = Some(Action::MoveLayer(index, false));
                    }
                    if ui
                        .small_button("×")
                        .on_hover_text("Close this layer")
                        .clicked()
                    {
                        action = Some(Action::CloseLayer(index));
                    }
                });
            }
            ui.separator();
            if ui
                .add_enabled(count >= 2, egui::Button::new("Compare two layers…"))
                .clicked()
            {
                action = Some(Action::ShowCompare);
            }
            ui.menu_button("Add a built-in layer", |ui| {
                for built_in in crate::vintages::BUILT_IN.iter().filter(|b| b.available()) {
                    let open = state.open_built_ins.contains(&built_in.id);
                    if ui
                        .add_enabled(!open, egui::Button::new(built_in.title))
                        .clicked()
                    {
                        action = Some(Action::AddBuiltIn(built_in.id));
                    }
                }
            });
            ui.separator();
            if ui
                .add_enabled(
                    !state.layers.is_empty(),
                    egui::Button::new("Code and name fields…"),
                )
                .clicked()
            {
                action = Some(Action::ShowFields);
            }
        });
        ui.menu_button("Help", |ui| {
            if ui
                .add(egui::Button::new("Keyboard shortcuts")
                    .shortcut_text(shortcut_text(ui.ctx(), &Action::ShowShortcuts)))
                .clicked()
            {
                action = Some(Action::ShowShortcuts);
            }
            if ui.button("About Footprints and its data").clicked() {
                action = Some(Action::ShowAbout);
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            right_action = right(ui);
        });
    });
    (action, right_action)
}

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
            ui.label("File");
            let response = ui.add(egui::TextEdit::singleline(&mut form.path).desired_width(360.0));
            ui.ctx()
                .accesskit_node_builder(response.id, |node| node.set_label(EXPORT_FILE_LABEL));
            if response.changed() {
                form.confirm_replace = false;
            }
            ui.end_row();
        });
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
