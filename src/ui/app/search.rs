//! The app's search: queries answered, places and postcodes shown, and the user's own details.

use super::*;

impl FootprintsApp {
    // ----- search -----

    /// Starts reading the postcode list the first time it may be wanted — something typed in
    /// the search box — rather than at start: its 13 MB are not held by a window that is never
    /// asked for a postcode, and it is ready well before the Enter key (about 70 ms).
    pub fn want_postcodes(&mut self, ctx: &egui::Context) {
        if self.tasks.postcodes_asked {
            return;
        }
        self.tasks.postcodes_asked = true;
        match load_postcodes_in_background(ctx) {
            Ok(job) => self.tasks.postcodes = job,
            Err(e) => self.notices.job_failed(
                "reading the postcode list (postcodes cannot be searched)",
                Some(&e),
            ),
        }
    }

    pub(super) fn poll_postcodes(&mut self) {
        let Some(job) = &self.tasks.postcodes else {
            return;
        };
        match job.poll() {
            Polled::Done(Ok(index)) => {
                self.reference.sources.postcodes = Some(index);
                self.tasks.postcodes = None;
                if let Some(text) = self.search.pending.take() {
                    self.search(&text);
                }
            }
            Polled::Done(Err(message)) => {
                self.tasks.postcodes = None;
                self.postcodes_unavailable(&message);
                self.notices.error(message);
            }
            Polled::Pending => {}
            Polled::Lost => {
                self.tasks.postcodes = None;
                self.postcodes_unavailable("reading the postcode list stopped");
                self.notices.job_failed(
                    "reading the postcode list (postcodes cannot be searched)",
                    None,
                );
            }
        }
    }

    /// A postcode search that waited for the postcode list, answered when the list cannot be
    /// had (`why`).
    fn postcodes_unavailable(&mut self, why: &str) {
        if let Some(text) = self.search.pending.take() {
            self.search.answer = Some(Notice {
                text: format!("{text}: postcodes cannot be searched ({why})"),
                is_error: true,
                topic: None,
            });
        }
    }

    pub(super) fn update_suggestions(&mut self) {
        if self.search.state.show_choices
            || self.search.state.suggested_for == self.search.state.text
        {
            return;
        }
        self.search.state.suggested_for = self.search.state.text.clone();
        self.search.state.suggestions.clear();
        let Ok(crate::search::query::Query::Place(name)) =
            crate::search::query::parse(&self.search.state.text)
        else {
            return;
        };
        let (Some(gazetteer), true) = (&self.reference.sources.places, name.chars().count() >= 2)
        else {
            return;
        };
        let layer = self
            .active_prepared()
            .map(|p| (p.layer.as_ref(), &p.locator));
        self.search.state.suggestions = gazetteer
            .search(&name, 8)
            .iter()
            .map(|m| (m.place, resolve::place_label(gazetteer, m.place, layer)))
            .collect();
    }

    pub(super) fn search(&mut self, text: &str) {
        let layer = self
            .active_prepared()
            .map(|p| (p.layer.as_ref(), &p.locator));
        match resolve::resolve_text(text, &self.reference.sources, layer) {
            Resolution::Found(found) => self.show_found(found),
            Resolution::Choices(choices) => {
                self.search.state.suggestions =
                    choices.into_iter().map(|c| (c.place, c.label)).collect();
                self.search.state.suggested_for = self.search.state.text.clone();
                self.search.state.show_choices = true;
            }
            Resolution::NotFound(reason) => {
                let waiting =
                    self.reference.sources.postcodes.is_none() && self.tasks.postcodes.is_some();
                let needs_postcodes = matches!(
                    crate::search::query::parse(text),
                    Ok(crate::search::query::Query::Postcode(_)
                        | crate::search::query::Query::Sector(_)
                        | crate::search::query::Query::District(_))
                );
                if waiting && needs_postcodes {
                    self.search.pending = Some(text.to_string());
                    self.search.answer = Some(Notice {
                        text: format!(
                            "Looking up {}… (the postcode list is still loading)",
                            text.trim()
                        ),
                        is_error: false,
                        topic: None,
                    });
                } else {
                    self.search.answer = Some(Notice {
                        text: reason,
                        is_error: true,
                        topic: None,
                    });
                }
            }
        }
    }

    pub(super) fn go_to_place(&mut self, place: usize) {
        let Some(gazetteer) = &self.reference.sources.places else {
            return;
        };
        let Some(p) = gazetteer.places.get(place) else {
            return;
        };
        let layer = self
            .active_prepared()
            .map(|p| (p.layer.as_ref(), &p.locator));
        let found = Found {
            label: resolve::place_label(gazetteer, place, layer),
            point: p.position,
            split: None,
            note: None,
        };
        self.search.state.text = p.name.clone();
        self.search.state.show_choices = false;
        self.search.state.suggested_for = self.search.state.text.clone();
        self.search.state.suggestions.clear();
        self.show_found(found);
    }

    /// Pins the point, moves the map to it, selects its footprint and says where it is.
    pub(super) fn show_found(&mut self, found: Found) {
        let Some(prepared) = self.active_prepared() else {
            self.search.answer = Some(Notice {
                text: format!(
                    "{} is at {:.5}, {:.5}; no boundaries are open",
                    found.label, found.point.y, found.point.x
                ),
                is_error: false,
                topic: None,
            });
            self.search.pin = Some(found.point);
            return;
        };
        let footprint = prepared.locator.locate(found.point);
        let mut text = resolve::sentence(&found, &prepared.layer, footprint);
        if let Some(note) = &found.note {
            text.push_str(&format!(" ({note})"));
        }
        self.workspace.select(footprint);
        self.search.pin = Some(found.point);
        self.search.clicked_at = Some(found.point);
        self.search.answer = Some(Notice {
            text,
            is_error: false,
            topic: None,
        });
        let zoom = self
            .view
            .camera
            .zoom()
            .max(if found.split.is_some() { 11.0 } else { 12.0 });
        self.view.camera.look_at(found.point, zoom);
    }

    /// What the last clicked or searched point is in every other layer: (layer title, area
    /// name and code, or `None` outside all its areas). Nothing once the selection has moved
    /// away from that point (chosen from the list, or stepped to in a presentation).
    pub(super) fn elsewhere(&self) -> Vec<(String, Option<String>)> {
        let Some(point) = self.search.clicked_at else {
            return Vec::new();
        };
        let still_there = self
            .active_prepared()
            .is_some_and(|prepared| prepared.locator.locate(point) == self.workspace.selected());
        if !still_there {
            return Vec::new();
        }
        let active = self.workspace.active_id();
        self.workspace
            .iter()
            .filter(|(id, prepared)| Some(*id) != active && prepared.visible)
            .map(|(_, prepared)| {
                let found = prepared.locator.locate(point).and_then(|i| {
                    prepared
                        .layer
                        .footprints
                        .get(i)
                        .map(|f| format!("{} ({})", f.name, f.code))
                });
                (prepared.layer.title.clone(), found)
            })
            .collect()
    }

    /// Loads (or reloads) a details file, saying how many of its codes match an area.
    pub(super) fn load_details(&mut self, path: &Path) {
        match crate::own_details::OwnDetails::load(path) {
            Ok(details) => {
                let unmatched = details.unmatched(|code| {
                    self.reference.catalog.get(code).is_some()
                        || self
                            .workspace
                            .iter()
                            .any(|(_, l)| l.layer.index_of_code(code).is_some())
                });
                self.notices.info(details.summary(&unmatched));
                self.reference.own_details.retain(|d| d.path != path);
                self.reference.own_details.push(details);
                if !self.prefs.settings.details_files.iter().any(|p| p == path) {
                    self.prefs.settings.details_files.push(path.to_owned());
                }
            }
            Err(e) => self.notices.error(e.to_string()),
        }
    }

    /// The user's own fields for an area: (file name, fields), from every details file.
    pub(super) fn own_fields(&self, code: &str) -> Vec<(String, &[(String, String)])> {
        self.reference
            .own_details
            .iter()
            .filter_map(|d| {
                let fields = d.by_code.get(code)?;
                let name = d
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                Some((name, fields.as_slice()))
            })
            .collect()
    }
}
