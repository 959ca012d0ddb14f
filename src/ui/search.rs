//! The search box (Ctrl+F): typed text, place suggestions as you type, and the choices of an
//! ambiguous name. Returns what the user picked; the app does the looking up.

use egui::{Key, RichText, Ui};

use crate::ui::Action;

/// The search box's own state.
#[derive(Clone, Debug, Default)]
pub struct SearchState {
    pub text: String,
    /// Places offered while typing or after an ambiguous search: (place index, label).
    pub suggestions: Vec<(usize, String)>,
    /// The text the suggestions were made for.
    pub suggested_for: String,
    /// Focus the box on the next frame (Ctrl+F).
    pub request_focus: bool,
    /// Keep the list open even without focus (after an ambiguous search).
    pub show_choices: bool,
    /// Where the list was drawn last frame: a press on it takes focus from the box, and the
    /// list must stay for the click to land.
    pub list_rect: Option<egui::Rect>,
}

/// Accessible name of the search box, for screen readers and tests.
pub const SEARCH_LABEL: &str = "Search places, postcodes, grid references or coordinates";

pub fn search_bar_ui(ui: &mut Ui, state: &mut SearchState) -> Option<Action> {
    let mut action = None;
    let edit = egui::TextEdit::singleline(&mut state.text)
        .hint_text("Place, postcode, grid ref, lat, lon  (Ctrl+F)")
        .desired_width(320.0);
    let response = ui.add(edit);
    ui.ctx()
        .accesskit_node_builder(response.id, |node| node.set_label(SEARCH_LABEL));
    if std::mem::take(&mut state.request_focus) {
        response.request_focus();
    }
    if response.changed() {
        state.show_choices = false;
    }
    let submitted = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
    if submitted && !state.text.trim().is_empty() {
        action = Some(Action::Search(state.text.clone()));
    }
    let pointer = ui.input(|i| i.pointer.interact_pos().or(i.pointer.hover_pos()));
    let pointer_in_list = state
        .list_rect
        .is_some_and(|r| pointer.is_some_and(|p| r.contains(p)));
    let open = (response.has_focus() || state.show_choices || pointer_in_list)
        && !state.suggestions.is_empty()
        && state.suggested_for == state.text;
    if open {
        let area = egui::Area::new(response.id.with("search_suggestions"))
            .order(egui::Order::Foreground)
            .fixed_pos(response.rect.left_bottom() + egui::vec2(0.0, 2.0));
        let shown = area.show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_min_width(response.rect.width());
                if state.show_choices {
                    ui.label(RichText::new("Several places have this name; pick one:").small());
                }
                for (place, label) in &state.suggestions {
                    if ui.selectable_label(false, label).clicked() {
                        action = Some(Action::GoToPlace(*place));
                    }
                }
            });
        });
        state.list_rect = Some(shown.response.rect);
    } else {
        state.list_rect = None;
    }
    if ui
        .small_button("🔍")
        .on_hover_text("Search (Enter)")
        .clicked()
        && !state.text.trim().is_empty()
    {
        action = Some(Action::Search(state.text.clone()));
    }
    action
}
