//! Every colour of the map and its chrome, for the light and the dark theme, in one place.

use egui::Color32;

/// White at the given opacity (premultiplied, as `Color32::from_white_alpha`, but usable in
/// constants).
const fn white_alpha(a: u8) -> Color32 {
    Color32::from_rgba_premultiplied(a, a, a, a)
}

/// The colours of one theme.
pub struct Theme {
    /// The basemap: sea, land abroad, England, lakes and rivers, coast, country borders.
    pub sea: Color32,
    pub land: Color32,
    pub england: Color32,
    pub water: Color32,
    pub coast: Color32,
    pub border: Color32,
    /// Footprint boundaries of the active layer.
    pub outline: Color32,
    /// Footprint labels and their halo.
    pub label: Color32,
    pub label_halo: Color32,
    /// Town and country names and their halo.
    pub place: Color32,
    pub place_halo: Color32,
    /// The legend's text and its panel.
    pub legend_text: Color32,
    pub legend_background: Color32,
    /// Laid over the hovered footprint.
    pub hover: Color32,
    /// Presentation mode's title band and its text.
    pub title_band: Color32,
    pub title_text: Color32,
}

pub const LIGHT: Theme = Theme {
    sea: Color32::from_rgb(200, 222, 238),
    land: Color32::from_rgb(236, 234, 226),
    england: Color32::from_rgb(246, 244, 238),
    water: Color32::from_rgb(160, 196, 226),
    coast: Color32::from_rgb(120, 150, 175),
    border: Color32::from_rgb(130, 120, 140),
    outline: Color32::from_rgb(70, 70, 80),
    label: Color32::from_gray(20),
    label_halo: white_alpha(220),
    place: Color32::from_gray(70),
    place_halo: white_alpha(200),
    legend_text: Color32::from_gray(25),
    legend_background: white_alpha(225),
    hover: white_alpha(90),
    title_band: white_alpha(230),
    title_text: Color32::from_gray(15),
};

pub const DARK: Theme = Theme {
    sea: Color32::from_rgb(22, 32, 44),
    land: Color32::from_rgb(48, 50, 54),
    england: Color32::from_rgb(58, 60, 64),
    water: Color32::from_rgb(40, 66, 92),
    coast: Color32::from_rgb(90, 120, 150),
    border: Color32::from_rgb(150, 140, 160),
    outline: Color32::from_rgb(20, 20, 24),
    label: Color32::from_gray(235),
    label_halo: Color32::from_black_alpha(200),
    place: Color32::from_gray(190),
    place_halo: Color32::from_black_alpha(170),
    legend_text: Color32::from_gray(230),
    legend_background: Color32::from_black_alpha(190),
    hover: white_alpha(50),
    title_band: Color32::from_black_alpha(200),
    title_text: Color32::WHITE,
};

/// Boundaries of the other visible layers, drawn over the active one (either theme).
pub const OTHER_LAYER_OUTLINE: Color32 = Color32::from_rgb(200, 30, 110);

/// The theme for a dark or light look.
pub fn of(dark: bool) -> &'static Theme {
    if dark { &DARK } else { &LIGHT }
}
