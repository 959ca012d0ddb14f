//! Short labels, and greedy placement of label boxes so that no two overlap (anchors:
//! [`crate::polylabel`]).

pub use crate::polylabel::label_anchor;

/// Initials of the capitalised words of a name, when it has at least two:
/// "Lancashire and South Cumbria" → "LSC". `None` for one-word names.
pub fn initials(name: &str) -> Option<String> {
    let letters: String = core_name(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_uppercase())
        .collect();
    (letters.chars().count() >= 2).then_some(letters)
}

/// A name without what every area of its kind says: "NHS … Integrated Care Board" and
/// "NHS … ICB - 01F" → "…".
fn core_name(name: &str) -> &str {
    let core = name.trim();
    let core = core.strip_prefix("NHS ").unwrap_or(core);
    let core = core.split(" ICB - ").next().unwrap_or(core);
    core.strip_suffix(" Integrated Care Board")
        .or_else(|| core.strip_suffix(" ICB"))
        .unwrap_or(core)
}

/// Short label per footprint: its 2016 number on a layer of the 2016 footprints (ICBs reuse
/// some codes: the facts decide), else the initials of a multi-word name ("Northumberland, Tyne
/// and Wear" → "NTW"), else its code.
pub fn short_labels(facts: &crate::facts::LayerFacts) -> Vec<String> {
    facts
        .layer()
        .footprints
        .iter()
        .enumerate()
        .map(|(i, f)| short_label(&f.code, &f.name, facts.number_2016(i)))
        .collect()
}

/// One footprint's short label, given its 2016 number when it is a 2016 footprint.
fn short_label(code: &str, name: &str, number_2016: Option<u32>) -> String {
    number_2016
        .map(|n| n.to_string())
        // A sub-ICB location: its ICB's initials and its own code ("NENC 00P").
        .or_else(|| {
            let (_, own) = name.split_once(" ICB - ")?;
            let icb = initials(name).unwrap_or_else(|| core_name(name).to_string());
            Some(format!("{icb} {}", own.trim()))
        })
        .or_else(|| initials(name))
        // A one-word name short enough to be its own label ("Lincolnshire").
        .or_else(|| {
            let core = core_name(name);
            (core.chars().count() <= 14 && !core.is_empty()).then(|| core.to_string())
        })
        .unwrap_or_else(|| code.to_string())
}

/// An axis-aligned box on screen.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenBox {
    pub min_x: f32,
    pub min_y: f32,
    pub max_x: f32,
    pub max_y: f32,
}

impl ScreenBox {
    pub fn centred(x: f32, y: f32, width: f32, height: f32) -> Self {
        Self {
            min_x: x - width / 2.0,
            min_y: y - height / 2.0,
            max_x: x + width / 2.0,
            max_y: y + height / 2.0,
        }
    }

    pub fn overlaps(&self, other: &ScreenBox) -> bool {
        self.min_x < other.max_x
            && other.min_x < self.max_x
            && self.min_y < other.max_y
            && other.min_y < self.max_y
    }

    fn grown(&self, by: f32) -> Self {
        Self {
            min_x: self.min_x - by,
            min_y: self.min_y - by,
            max_x: self.max_x + by,
            max_y: self.max_y + by,
        }
    }
}

/// One label that could be drawn: its anchor, the sizes of its forms (longest first, e.g.
/// the full name then the number) and the room it has (radius of the free circle, in pixels).
#[derive(Clone, Debug)]
pub struct LabelCandidate {
    pub id: usize,
    pub x: f32,
    pub y: f32,
    /// Width and height of each form, most informative first.
    pub forms: Vec<(f32, f32)>,
    /// Radius of the largest circle inside the area around the anchor, in pixels.
    pub room: f32,
    /// Higher goes first (e.g. larger areas, the selected one).
    pub priority: f32,
}

/// A placed label: which candidate, which form, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    pub id: usize,
    pub form: usize,
    pub bounds: ScreenBox,
}

/// Places labels greedily by priority. A form fits when its half-diagonal is within the room
/// (times `slack`) and it does not overlap a label already placed (with `gap` pixels between).
/// Labels that fit in no form are left out; the result never overlaps.
pub fn place_labels(mut candidates: Vec<LabelCandidate>, slack: f32, gap: f32) -> Vec<PlacedLabel> {
    candidates.sort_by(|a, b| b.priority.total_cmp(&a.priority));
    let mut placed: Vec<PlacedLabel> = Vec::new();
    for candidate in candidates {
        for (form, &(w, h)) in candidate.forms.iter().enumerate() {
            let fits_area = (w.max(h * 1.5)) / 2.0 <= candidate.room * slack;
            if !fits_area {
                continue;
            }
            let bounds = ScreenBox::centred(candidate.x, candidate.y, w, h);
            let grown = bounds.grown(gap / 2.0);
            if placed
                .iter()
                .any(|p| p.bounds.grown(gap / 2.0).overlaps(&grown))
            {
                continue;
            }
            placed.push(PlacedLabel {
                id: candidate.id,
                form,
                bounds,
            });
            break;
        }
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_long_names() {
        assert_eq!(
            initials("Northumberland, Tyne and Wear").as_deref(),
            Some("NTW")
        );
        assert_eq!(
            initials("Durham, Darlington and Tees, Hambleton, Richmondshire and Whitby").as_deref(),
            Some("DDTHRW")
        );
        assert_eq!(initials("Birmingham"), None);
        assert_eq!(
            initials("NHS North East and North Cumbria Integrated Care Board").as_deref(),
            Some("NENC")
        );
        assert_eq!(
            initials("NHS Coventry and Warwickshire ICB - B2M3M").as_deref(),
            Some("CW")
        );
    }

    #[test]
    fn short_labels_of_every_kind_of_area() {
        assert_eq!(
            short_label("E54000017", "Birmingham and Solihull", Some(17)),
            "17"
        );
        assert_eq!(
            short_label(
                "E54000050",
                "NHS North East and North Cumbria Integrated Care Board",
                None
            ),
            "NENC"
        );
        assert_eq!(
            short_label(
                "E38000257",
                "NHS Shropshire, Telford and Wrekin ICB - M2L0M",
                None
            ),
            "STW M2L0M"
        );
        assert_eq!(
            short_label("E54000013", "NHS Lincolnshire Integrated Care Board", None),
            "Lincolnshire"
        );
        assert_eq!(
            short_label("E07000092", "Basingstoke and Deane", None),
            "BD"
        );
        assert_eq!(short_label("X1", "Northamptonshire West", None), "NW");
        assert_eq!(
            short_label("E06000060", "Buckinghamshire", None),
            "E06000060"
        );
    }

    #[test]
    fn placed_labels_never_overlap_and_fall_back_to_short_forms() {
        let candidates: Vec<LabelCandidate> = (0..30)
            .map(|i| LabelCandidate {
                id: i,
                x: 100.0 + (i % 6) as f32 * 25.0,
                y: 100.0 + (i / 6) as f32 * 12.0,
                forms: vec![(120.0, 14.0), (16.0, 11.0)],
                room: 40.0,
                priority: i as f32,
            })
            .collect();
        let placed = place_labels(candidates, 1.0, 2.0);
        assert!(!placed.is_empty());
        for (i, a) in placed.iter().enumerate() {
            for b in &placed[i + 1..] {
                assert!(!a.bounds.overlaps(&b.bounds), "{a:?} overlaps {b:?}");
            }
        }
        // The full name is wider than the room allows, so only the short form is used.
        assert!(placed.iter().all(|p| p.form == 1));
    }

    #[test]
    fn name_is_used_where_there_is_room() {
        let placed = place_labels(
            vec![LabelCandidate {
                id: 7,
                x: 0.0,
                y: 0.0,
                forms: vec![(80.0, 14.0), (16.0, 11.0)],
                room: 60.0,
                priority: 1.0,
            }],
            1.0,
            2.0,
        );
        assert_eq!(placed.len(), 1);
        assert_eq!(placed[0].form, 0);
    }
}
