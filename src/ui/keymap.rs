//! Every key binding in one table: the key handler, the menus' shortcut texts and the Help
//! window all read [`BINDINGS`], so a key is changed in one place.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::ui::Action;
use crate::ui::builder::BuildAction;

/// When a binding is listened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// On the map, even while a text box has the keyboard (they carry Ctrl, or are F-keys).
    Always,
    /// On the map, only while no text box has the keyboard (plain letters and keys).
    NotTyping,
    /// In presentation mode, instead of every other binding.
    Presenting,
    /// Not a key press (a mouse gesture, or keys read continuously): listed in Help only.
    HelpOnly,
}

/// One binding: the keys, what they do, and how Help describes them.
pub struct Binding {
    /// Any of these presses it.
    pub keys: &'static [KeyboardShortcut],
    pub mode: Mode,
    /// What it asks for, in order.
    pub actions: &'static [Action],
    /// The keys as Help lists them ("Ctrl+F", "Right-click"); empty for a binding Help
    /// describes with another (zoom out with zoom in, the presentation keys with F5).
    pub label: &'static str,
    /// What it does, for Help.
    pub help: &'static str,
}

const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

/// Every binding, in the order Help lists them (and keys are consumed).
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: &[command(Key::F)],
        mode: Mode::Always,
        actions: &[Action::FocusSearch],
        label: "Ctrl+F",
        help: "Search: a place, postcode (B15 2TT), grid reference (SP 06 86) or lat, lon",
    },
    Binding {
        keys: &[],
        mode: Mode::HelpOnly,
        actions: &[],
        label: "Right-click",
        help: "What's here? Coordinates, grid reference, footprint, nearest places",
    },
    Binding {
        keys: &[command(Key::L)],
        mode: Mode::Always,
        actions: &[Action::ToggleList],
        label: "Ctrl+L",
        help: "The list of footprints (sortable, with a filter)",
    },
    Binding {
        keys: &[command(Key::O)],
        mode: Mode::Always,
        actions: &[Action::OpenDialog],
        label: "Ctrl+O",
        help: "Open boundary files (GeoJSON)",
    },
    Binding {
        keys: &[command(Key::E)],
        mode: Mode::Always,
        actions: &[Action::ShowExport],
        label: "Ctrl+E",
        help: "Export the map as PNG, SVG or PDF (A4/A3, 150/300 dpi)",
    },
    Binding {
        keys: &[],
        mode: Mode::HelpOnly,
        actions: &[],
        label: "Drag and drop",
        help: "Open the dropped GeoJSON files",
    },
    Binding {
        keys: &[],
        mode: Mode::HelpOnly,
        actions: &[],
        label: "Click",
        help: "Select a footprint and show its details; click the sea to clear",
    },
    Binding {
        keys: &[plain(Key::Escape)],
        mode: Mode::NotTyping,
        actions: &[Action::Select(None), Action::WhatsHere(None)],
        label: "Esc",
        help: "Clear the selection, the pin and the search message",
    },
    Binding {
        keys: &[plain(Key::Home)],
        mode: Mode::NotTyping,
        actions: &[Action::FitAll],
        label: "Home",
        help: "Fit England (the whole layer)",
    },
    Binding {
        keys: &[plain(Key::Z)],
        mode: Mode::NotTyping,
        actions: &[Action::ZoomToSelection],
        label: "Z",
        help: "Zoom to the selected footprint",
    },
    Binding {
        keys: &[plain(Key::Plus), plain(Key::Equals)],
        mode: Mode::NotTyping,
        actions: &[Action::ZoomIn],
        label: "+ / −",
        help: "Zoom in / out (or the mouse wheel, or double-click)",
    },
    Binding {
        keys: &[plain(Key::Minus)],
        mode: Mode::NotTyping,
        actions: &[Action::ZoomOut],
        label: "",
        help: "Zoom out",
    },
    Binding {
        keys: &[],
        mode: Mode::HelpOnly,
        actions: &[],
        label: "Arrow keys",
        help: "Pan the map",
    },
    Binding {
        keys: &[plain(Key::L)],
        mode: Mode::NotTyping,
        actions: &[Action::ToggleLabels],
        label: "L",
        help: "Show or hide footprint labels",
    },
    Binding {
        keys: &[plain(Key::T)],
        mode: Mode::NotTyping,
        actions: &[Action::TogglePlaces],
        label: "T",
        help: "Show or hide town names",
    },
    Binding {
        keys: &[plain(Key::F11)],
        mode: Mode::Always,
        actions: &[Action::ToggleFullscreen],
        label: "F11",
        help: "Full screen",
    },
    Binding {
        keys: &[plain(Key::F5)],
        mode: Mode::Always,
        actions: &[Action::StartPresentation],
        label: "F5",
        help: "Presentation mode: Right arrow or Page Down for the next footprint, Left arrow or Page Up back, Home for England, Esc to leave",
    },
    Binding {
        keys: &[
            plain(Key::ArrowRight),
            plain(Key::ArrowDown),
            plain(Key::PageDown),
            plain(Key::Space),
        ],
        mode: Mode::Presenting,
        actions: &[Action::PresentNext],
        label: "",
        help: "Presenting: the next footprint",
    },
    Binding {
        keys: &[
            plain(Key::ArrowLeft),
            plain(Key::ArrowUp),
            plain(Key::PageUp),
        ],
        mode: Mode::Presenting,
        actions: &[Action::PresentPrevious],
        label: "",
        help: "Presenting: the footprint before",
    },
    Binding {
        keys: &[plain(Key::Home)],
        mode: Mode::Presenting,
        actions: &[Action::PresentOverview],
        label: "",
        help: "Presenting: back to England",
    },
    Binding {
        keys: &[plain(Key::Escape), plain(Key::F5)],
        mode: Mode::Presenting,
        actions: &[Action::StopPresentation],
        label: "",
        help: "Presenting: leave presentation mode",
    },
    // Redo before undo: Ctrl+Z would also take Ctrl+Shift+Z.
    Binding {
        keys: &[KeyboardShortcut::new(
            Modifiers::COMMAND.plus(Modifiers::SHIFT),
            Key::Z,
        )],
        // Not while typing: a text box keeps its own undo.
        mode: Mode::NotTyping,
        actions: &[Action::Build(BuildAction::Redo)],
        label: "Ctrl+Shift+Z",
        help: "Builder: redo",
    },
    Binding {
        keys: &[command(Key::Z)],
        mode: Mode::NotTyping,
        actions: &[Action::Build(BuildAction::Undo)],
        label: "Ctrl+Z",
        help: "Builder: undo the last change",
    },
    Binding {
        keys: &[],
        mode: Mode::HelpOnly,
        actions: &[],
        label: "Alt+click",
        help: "Builder: choose the footprint under the pointer",
    },
    Binding {
        keys: &[plain(Key::F1)],
        mode: Mode::Always,
        actions: &[Action::ShowShortcuts],
        label: "F1",
        help: "This list",
    },
    Binding {
        keys: &[command(Key::Q)],
        mode: Mode::Always,
        actions: &[Action::Quit],
        label: "Ctrl+Q",
        help: "Quit",
    },
];

/// The actions of the keys pressed this frame, consuming them: in presentation mode only its
/// own bindings; otherwise those that always apply, then (unless a text box has the keyboard)
/// the plain keys.
pub fn pressed(ctx: &egui::Context, presenting: bool) -> Vec<Action> {
    let modes: &[Mode] = if presenting {
        &[Mode::Presenting]
    } else if ctx.egui_wants_keyboard_input() {
        &[Mode::Always]
    } else {
        &[Mode::Always, Mode::NotTyping]
    };
    let mut actions = Vec::new();
    ctx.input_mut(|input| {
        for mode in modes {
            for binding in BINDINGS.iter().filter(|b| b.mode == *mode) {
                // Every key of the binding is consumed, so none falls through to another.
                let hits = binding
                    .keys
                    .iter()
                    .filter(|k| input.consume_shortcut(k))
                    .count();
                if hits > 0 {
                    actions.extend(binding.actions.iter().cloned());
                }
            }
        }
    });
    actions
}

/// The rows of the Help window: (keys, what they do).
pub fn help_rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    BINDINGS
        .iter()
        .filter(|b| !b.label.is_empty())
        .map(|b| (b.label, b.help))
}

/// The shortcut text a menu shows beside the item that asks for `action` ("Ctrl+O", "Home").
pub fn shortcut_text(ctx: &egui::Context, action: &Action) -> String {
    BINDINGS
        .iter()
        .filter(|b| b.mode != Mode::Presenting)
        .find(|b| b.actions.first() == Some(action))
        .and_then(|b| b.keys.first())
        .map(|k| {
            // A plain key by its symbol ("+", "−"), a combination as the platform writes it.
            if k.modifiers.is_none() {
                k.logical_key.symbol_or_name().to_string()
            } else {
                ctx.format_shortcut(k)
            }
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_means_two_things_in_one_mode() {
        let mut seen: Vec<(Mode, KeyboardShortcut)> = Vec::new();
        for binding in BINDINGS {
            for key in binding.keys {
                let mode = match binding.mode {
                    // Always and NotTyping are both live on the map.
                    Mode::NotTyping => Mode::Always,
                    other => other,
                };
                assert!(!seen.contains(&(mode, *key)), "{key:?} bound twice");
                seen.push((mode, *key));
            }
            assert_eq!(
                binding.keys.is_empty(),
                binding.mode == Mode::HelpOnly,
                "{}",
                binding.help
            );
        }
    }

    #[test]
    fn help_lists_every_binding_in_order() {
        let rows: Vec<&str> = help_rows().map(|(keys, _)| keys).collect();
        assert_eq!(
            rows,
            [
                "Ctrl+F",
                "Right-click",
                "Ctrl+L",
                "Ctrl+O",
                "Ctrl+E",
                "Drag and drop",
                "Click",
                "Esc",
                "Home",
                "Z",
                "+ / −",
                "Arrow keys",
                "L",
                "T",
                "F11",
                "F5",
                "Ctrl+Shift+Z",
                "Ctrl+Z",
                "Alt+click",
                "F1",
                "Ctrl+Q"
            ]
        );
    }

    #[test]
    fn menus_find_their_shortcuts() {
        let ctx = egui::Context::default();
        assert!(shortcut_text(&ctx, &Action::OpenDialog).ends_with('O'));
        assert_eq!(shortcut_text(&ctx, &Action::FitAll), "Home");
        assert_eq!(shortcut_text(&ctx, &Action::StartPresentation), "F5");
        assert_eq!(shortcut_text(&ctx, &Action::ZoomIn), "+");
        assert_eq!(shortcut_text(&ctx, &Action::ZoomOut), "−");
        assert_eq!(shortcut_text(&ctx, &Action::ShowAbout), "");
    }
}
