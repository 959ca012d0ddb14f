//! What is drawn, independent of egui: colours, label positions and placement, screen geometry.

pub mod date;
pub mod export;
pub mod format;
pub mod labels;
pub mod style;
