//! The menu bar (File, View, Layers, Help): draws what the app's state allows and returns the
//! user's request as an [`Action`]; shortcut texts come from the key table.

use egui::{RichText, Ui};

use crate::render::style::{ColourBy, LabelMode, Palette};
use crate::settings::{Settings, ThemeChoice, TileChoice};
use crate::ui::keymap::shortcut_text;
use crate::ui::{Action, LayerAction};

/// A layer as the Layers menu shows it.
pub struct LayerRow {
    pub id: crate::workspace::LayerId,
    pub title: String,
    pub active: bool,
    pub visible: bool,
    pub opacity: f32,
}

/// What the menu bar needs to know.
pub struct MenuState<'a> {
    pub settings: &'a Settings,
    /// Open layers, bottom first.
    pub layers: Vec<LayerRow>,
    /// Ids of the built-in layers already open.
    pub open_built_ins: Vec<crate::model::BuiltInId>,
    pub has_selection: bool,
    pub fullscreen: bool,
    pub show_list: bool,
    /// Numeric properties of the active layer (choices for a choropleth).
    pub numeric_properties: Vec<String>,
    /// The tile server address being typed.
    pub tile_server_draft: &'a mut String,
    /// Scenarios autosaved and not reopened.
    pub autosaved: usize,
    /// Whether a layer is shown (to start the builder from).
    pub has_layer: bool,
    /// Whether the footprint builder has a scenario open.
    pub building: bool,
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
        ui.menu_button("File", |ui| file_menu_ui(ui, state.settings, &mut action));
        ui.menu_button("View", |ui| view_menu_ui(ui, state, &mut action));
        // The layers stay listed while their boxes are ticked and sliders moved; a command
        // (compare, add, fields) closes the menu.
        egui::containers::menu::MenuButton::new("Layers")
            .config(
                egui::containers::menu::MenuConfig::new()
                    .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside),
            )
            .ui(ui, |ui| layers_menu_ui(ui, state, &mut action));
        ui.menu_button("Build", |ui| build_menu_ui(ui, state, &mut action));
        ui.menu_button("Help", |ui| {
            command(ui, "Keyboard shortcuts", Action::ShowShortcuts, &mut action);
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

/// A menu item for `action`, with its shortcut from the key table.
fn command(ui: &mut Ui, label: &str, action: Action, out: &mut Option<Action>) {
    command_if(ui, true, label, action, out);
}

/// [`command`], greyed out unless `enabled`.
fn command_if(ui: &mut Ui, enabled: bool, label: &str, action: Action, out: &mut Option<Action>) {
    let button = egui::Button::new(label).shortcut_text(shortcut_text(ui.ctx(), &action));
    if ui.add_enabled(enabled, button).clicked() {
        *out = Some(action);
    }
}

fn file_menu_ui(ui: &mut Ui, settings: &Settings, action: &mut Option<Action>) {
    command(ui, "Open boundaries…", Action::OpenDialog, action);
    if ui.button("Open from path…").clicked() {
        *action = Some(Action::OpenPathPrompt);
    }
    if ui
        .button("Load your details…")
        .on_hover_text("A CSV or JSON file of leads, populations, members or notes by area code")
        .clicked()
    {
        *action = Some(Action::ChooseDetails);
    }
    if !settings.details_files.is_empty() {
        ui.menu_button("Your details files", |ui| {
            for path in &settings.details_files {
                ui.horizontal(|ui| {
                    ui.label(path.display().to_string());
                    if ui.small_button("Reload").clicked() {
                        *action = Some(Action::LoadDetails(path.clone()));
                    }
                    if ui.small_button("Forget").clicked() {
                        *action = Some(Action::ForgetDetails(path.clone()));
                    }
                });
            }
        });
    }
    command(ui, "Export map…", Action::ShowExport, action);
    if ui
        .button("Export board pack…")
        .on_hover_text("A PDF: a cover with contents and a page per footprint of the layer shown")
        .clicked()
    {
        *action = Some(Action::ShowExportPack);
    }
    ui.menu_button("Open recent", |ui| {
        if settings.recent_files.is_empty() {
            ui.label(RichText::new("No recent files").italics());
        }
        for path in &settings.recent_files {
            if ui.button(path.display().to_string()).clicked() {
                *action = Some(Action::OpenPaths(vec![path.clone()]));
            }
        }
    });
    ui.separator();
    command(ui, "Quit", Action::Quit, action);
}

fn view_menu_ui(ui: &mut Ui, state: &mut MenuState, action: &mut Option<Action>) {
    command(ui, "Fit England", Action::FitAll, action);
    let selected = state.has_selection;
    command_if(
        ui,
        selected,
        "Zoom to selection",
        Action::ZoomToSelection,
        action,
    );
    command(ui, "Zoom in", Action::ZoomIn, action);
    command(ui, "Zoom out", Action::ZoomOut, action);
    ui.separator();
    ui.menu_button("Colour by", |ui| colour_by_menu_ui(ui, state, action));
    ui.menu_button("Palette", |ui| {
        for palette in Palette::ALL {
            if ui
                .radio(state.settings.palette == palette, palette.name())
                .clicked()
            {
                *action = Some(Action::SetPalette(palette));
            }
        }
        ui.label(RichText::new("Choropleths use viridis, which reads in greyscale.").small());
    });
    ui.menu_button("Labels", |ui| {
        for mode in LabelMode::ALL {
            let on = if state.settings.show_labels {
                state.settings.label_mode == mode
            } else {
                mode == LabelMode::None
            };
            if ui.radio(on, mode.name()).clicked() {
                *action = Some(Action::SetLabelMode(mode));
            }
        }
        ui.separator();
        let mut labels = state.settings.show_labels;
        if ui.checkbox(&mut labels, "Show labels (L)").clicked() {
            *action = Some(Action::ToggleLabels);
        }
    });
    let mut places = state.settings.show_places;
    if ui.checkbox(&mut places, "Town names (T)").clicked() {
        *action = Some(Action::TogglePlaces);
    }
    ui.separator();
    ui.menu_button("Background map", |ui| background_menu_ui(ui, state, action));
    ui.menu_button("Theme", |ui| {
        for (choice, label) in [
            (ThemeChoice::System, "Follow the system"),
            (ThemeChoice::Light, "Light"),
            (ThemeChoice::Dark, "Dark"),
        ] {
            if ui.radio(state.settings.theme == choice, label).clicked() {
                *action = Some(Action::SetTheme(choice));
            }
        }
    });
    ui.separator();
    let mut fullscreen = state.fullscreen;
    if ui.checkbox(&mut fullscreen, "Full screen (F11)").clicked() {
        *action = Some(Action::ToggleFullscreen);
    }
    command(ui, "Present…", Action::StartPresentation, action);
}

fn colour_by_menu_ui(ui: &mut Ui, state: &MenuState, action: &mut Option<Action>) {
    let current = &state.settings.colour_by;
    for (choice, label) in [
        (ColourBy::Footprint, "Footprint (neighbours differ)"),
        (ColourBy::Region, "NHS region"),
        (
            ColourBy::Population,
            "Population (mid-2019, the 2016 footprints)",
        ),
    ] {
        if ui.radio(*current == choice, label).clicked() {
            *action = Some(Action::SetColourBy(choice));
        }
    }
    ui.separator();
    ui.label(RichText::new("From LSOA 2021 (derived):").small());
    for measure in crate::render::style::PeopleMeasure::ALL {
        let choice = ColourBy::People(measure);
        if ui.radio(*current == choice, measure.title()).clicked() {
            *action = Some(Action::SetColourBy(choice));
        }
    }
    if !state.numeric_properties.is_empty() {
        ui.separator();
        ui.label(RichText::new("A property of the layer:").small());
        for key in &state.numeric_properties {
            let choice = ColourBy::Property(key.clone());
            if ui.radio(*current == choice, key).clicked() {
                *action = Some(Action::SetColourBy(choice));
            }
        }
    }
}

fn background_menu_ui(ui: &mut Ui, state: &mut MenuState, action: &mut Option<Action>) {
    let tiles = &state.settings.tiles;
    if ui
        .radio(*tiles == TileChoice::Offline, "Offline map (built in)")
        .clicked()
    {
        *action = Some(Action::SetTiles(TileChoice::Offline));
    }
    if ui
        .radio(
            *tiles == TileChoice::OpenStreetMap,
            "OpenStreetMap tiles (online)",
        )
        .on_hover_text("Downloads tiles from openstreetmap.org; the offline map stays underneath")
        .clicked()
    {
        *action = Some(Action::SetTiles(TileChoice::OpenStreetMap));
    }
    let pm_label = match tiles {
        TileChoice::PmTiles(path) => format!("PMTiles file: {}", path.display()),
        _ => "PMTiles file…".to_string(),
    };
    if ui
        .radio(matches!(tiles, TileChoice::PmTiles(_)), pm_label)
        .clicked()
    {
        *action = Some(Action::ChoosePmTiles);
    }
    ui.separator();
    ui.label("Tile server (XYZ address with {z}, {x}, {y}):");
    ui.horizontal(|ui| {
        let edit = ui.add(
            egui::TextEdit::singleline(&mut *state.tile_server_draft)
                .hint_text("https://tiles.example.nhs.uk/{z}/{x}/{y}.png")
                .desired_width(320.0),
        );
        let entered = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button("Use").clicked() || entered {
            *action = Some(Action::SetTiles(TileChoice::Server(
                state.tile_server_draft.trim().to_string(),
            )));
        }
    });
    if let TileChoice::Server(template) = tiles {
        ui.label(format!("In use: {template}"));
    }
}

fn layers_menu_ui(ui: &mut Ui, state: &MenuState, action: &mut Option<Action>) {
    if state.layers.is_empty() {
        ui.label(RichText::new("No layers open").italics());
    } else {
        ui.label(
            RichText::new(
                "Top of the list is drawn on top; the chosen one is filled and answers clicks.",
            )
            .small()
            .weak(),
        );
    }
    let count = state.layers.len();
    // Top of the menu is the top of the map.
    for (index, row) in state.layers.iter().enumerate().rev() {
        ui.horizontal(|ui| layer_row_ui(ui, index, count, row, action));
    }
    ui.separator();
    if ui
        .add_enabled(count >= 2, egui::Button::new("Compare two layers…"))
        .clicked()
    {
        *action = Some(Action::Layer(LayerAction::ShowCompare));
        ui.close();
    }
    ui.menu_button("Add a built-in layer", |ui| {
        for built_in in crate::vintages::BUILT_IN.iter().filter(|b| b.available()) {
            let open = state.open_built_ins.contains(&built_in.id);
            if ui
                .add_enabled(!open, egui::Button::new(built_in.title))
                .clicked()
            {
                *action = Some(Action::AddBuiltIn(built_in.id));
                ui.close();
            }
        }
    });
    ui.separator();
    if ui
        .add_enabled(count > 0, egui::Button::new("Code and name fields…"))
        .clicked()
    {
        *action = Some(Action::ShowFields);
        ui.close();
    }
}

fn build_menu_ui(ui: &mut Ui, state: &MenuState, action: &mut Option<Action>) {
    use crate::ui::builder::{BuildAction, BuilderStart};
    let mut ask = |a: BuildAction| *action = Some(Action::Build(a));
    ui.label(
        RichText::new("Redraw footprints from LSOA 2021 blocks, with live totals and rules.")
            .small()
            .weak(),
    );
    for start in [
        BuilderStart::Icb2026,
        BuilderStart::SubIcb2026,
        BuilderStart::ActiveLayer,
        BuilderStart::Empty,
    ] {
        let enabled = start != BuilderStart::ActiveLayer || state.has_layer;
        if ui
            .add_enabled(enabled, egui::Button::new(format!("Start from {}", start.title())))
            .on_hover_text(match start {
                BuilderStart::ActiveLayer => "By code where a lookup knows the layer's areas, else each LSOA to the area its centroid falls in (best fit)",
                BuilderStart::Empty => "Every block in no footprint: add footprints and paint them",
                _ => "From the April 2026 lookup",
            })
            .clicked()
        {
            ask(BuildAction::Start(start));
        }
    }
    if ui.button("Open scenario…").clicked() {
        ask(BuildAction::ChooseOpen);
    }
    if ui
        .add_enabled(
            state.autosaved > 0,
            egui::Button::new(format!("Reopen autosaved scenarios ({})", state.autosaved)),
        )
        .on_hover_text("Scenarios with changes not saved when the app last closed or stopped")
        .clicked()
    {
        ask(BuildAction::RestoreAutosaved);
    }
    if ui
        .add_enabled(state.building, egui::Button::new("Save scenario as…"))
        .clicked()
    {
        ask(BuildAction::ChooseSave);
    }
    if ui
        .add_enabled(state.building, egui::Button::new("Export scenario…"))
        .on_hover_text("The assignment CSV, the footprints as GeoJSON, and the definition (whole councils, and the LSOAs of shared ones) as CSV and markdown")
        .clicked()
    {
        ask(BuildAction::ChooseExport);
    }
    if ui
        .add_enabled(
            state.building,
            egui::Button::new("Show scenario as a layer"),
        )
        .on_hover_text("To compare or swipe it with any other layer")
        .clicked()
    {
        ask(BuildAction::AsLayer);
    }
    ui.separator();
    command_if(
        ui,
        state.building,
        "Undo",
        Action::Build(BuildAction::Undo),
        action,
    );
    command_if(
        ui,
        state.building,
        "Redo",
        Action::Build(BuildAction::Redo),
        action,
    );
    if ui
        .add_enabled(state.building, egui::Button::new("Close scenario"))
        .clicked()
    {
        *action = Some(Action::Build(BuildAction::Close));
    }
}

/// One open layer: shown, active, opacity, order and close.
fn layer_row_ui(
    ui: &mut Ui,
    index: usize,
    count: usize,
    row: &LayerRow,
    action: &mut Option<Action>,
) {
    let mut visible = row.visible;
    if ui
        .checkbox(&mut visible, "")
        .on_hover_text("Show on the map")
        .clicked()
    {
        *action = Some(Action::Layer(LayerAction::Show(row.id, visible)));
    }
    if ui
        .radio(row.active, &row.title)
        .on_hover_text("Fill this layer and let it answer clicks and searches")
        .clicked()
    {
        *action = Some(Action::Layer(LayerAction::Activate(row.id)));
    }
    let mut opacity = row.opacity;
    let slider = egui::Slider::new(&mut opacity, 0.1..=1.0)
        .show_value(false)
        .text("opacity");
    if ui.add(slider).changed() {
        *action = Some(Action::Layer(LayerAction::SetOpacity(row.id, opacity)));
    }
    // The icon buttons are named for a screen reader with the layer they act on.
    let named = |response: egui::Response, name: String| {
        response
            .ctx
            .accesskit_node_builder(response.id, |node| node.set_label(name));
        response
    };
    let up = ui.add_enabled(index + 1 < count, egui::Button::new("⬆").small());
    if named(up, format!("Move {} up", row.title))
        .on_hover_text("Move up (drawn later)")
        .clicked()
    {
        *action = Some(Action::Layer(LayerAction::Move(row.id, true)));
    }
    let down = ui.add_enabled(index > 0, egui::Button::new("⬇").small());
    if named(down, format!("Move {} down", row.title))
        .on_hover_text("Move down")
        .clicked()
    {
        *action = Some(Action::Layer(LayerAction::Move(row.id, false)));
    }
    if named(ui.small_button("×"), format!("Close {}", row.title))
        .on_hover_text("Close this layer")
        .clicked()
    {
        *action = Some(Action::Layer(LayerAction::Close(row.id)));
    }
}
