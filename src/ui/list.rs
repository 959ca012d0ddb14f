//! The footprints table: every area of the active layer with code, name, population, area and
//! lead; sortable by each column, filtered by a text box; a click selects and zooms.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::geo_util::{one_decimal, thousands};
use crate::ui::Action;

/// Accessible name of the filter box.
pub const FILTER_LABEL: &str = "Filter footprints";

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct ListRow {
    pub index: usize,
    pub code: String,
    pub name: String,
    pub population: Option<u64>,
    pub area_km2: Option<f64>,
    pub lead: Option<String>,
    /// Share aged 65 and over, Census 2021 (0..1).
    pub aged_65: Option<f64>,
    /// Share of people in England's most deprived tenth, IMD 2025 (0..1).
    pub most_deprived: Option<f64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortColumn {
    #[default]
    Code,
    Name,
    Population,
    Area,
    Lead,
    Aged65,
    MostDeprived,
}

/// What the user set in the table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListState {
    pub filter: String,
    pub sort: SortColumn,
    pub descending: bool,
}

/// Keeps the rows whose code, name or lead contain the filter (any case), sorted as asked.
/// Unknown values sort last either way.
pub fn filter_and_sort(rows: &mut Vec<ListRow>, state: &ListState) {
    let needle = state.filter.trim().to_lowercase();
    if !needle.is_empty() {
        rows.retain(|r| {
            r.code.to_lowercase().contains(&needle)
                || r.name.to_lowercase().contains(&needle)
                || r.lead
                    .as_ref()
                    .is_some_and(|l| l.to_lowercase().contains(&needle))
        });
    }
    let descending = state.descending;
    let order = |o: std::cmp::Ordering| if descending { o.reverse() } else { o };
    rows.sort_by(|a, b| {
        use std::cmp::Ordering::*;
        let known_first = |x: bool, y: bool| match (x, y) {
            (true, false) => Some(Less),
            (false, true) => Some(Greater),
            _ => None,
        };
        match state.sort {
            SortColumn::Code => order(a.code.cmp(&b.code)),
            SortColumn::Name => order(a.name.to_lowercase().cmp(&b.name.to_lowercase())),
            SortColumn::Population => known_first(a.population.is_some(), b.population.is_some())
                .unwrap_or_else(|| order(a.population.cmp(&b.population))),
            SortColumn::Area => known_first(a.area_km2.is_some(), b.area_km2.is_some())
                .unwrap_or_else(|| {
                    order(
                        a.area_km2
                            .unwrap_or(0.0)
                            .total_cmp(&b.area_km2.unwrap_or(0.0)),
                    )
                }),
            SortColumn::Lead => known_first(a.lead.is_some(), b.lead.is_some())
                .unwrap_or_else(|| order(a.lead.cmp(&b.lead))),
            SortColumn::Aged65 => known_first(a.aged_65.is_some(), b.aged_65.is_some())
                .unwrap_or_else(|| {
                    order(
                        a.aged_65
                            .unwrap_or(0.0)
                            .total_cmp(&b.aged_65.unwrap_or(0.0)),
                    )
                }),
            SortColumn::MostDeprived => {
                known_first(a.most_deprived.is_some(), b.most_deprived.is_some()).unwrap_or_else(
                    || {
                        order(
                            a.most_deprived
                                .unwrap_or(0.0)
                                .total_cmp(&b.most_deprived.unwrap_or(0.0)),
                        )
                    },
                )
            }
        }
        .then(a.index.cmp(&b.index))
    });
}

/// A column's heading: a click sorts by it, a second click the other way.
fn header(ui: &mut Ui, label: &str, column: SortColumn, state: &mut ListState) {
    let arrow = match (state.sort == column, state.descending) {
        (true, false) => " ⬆",
        (true, true) => " ⬇",
        _ => "",
    };
    if ui
        .add(egui::Button::new(RichText::new(format!("{label}{arrow}")).strong()).frame(false))
        .on_hover_text("Sort by this column (again to reverse)")
        .clicked()
    {
        if state.sort == column {
            state.descending = !state.descending;
        } else {
            state.sort = column;
            state.descending = matches!(
                column,
                SortColumn::Population
                    | SortColumn::Area
                    | SortColumn::Aged65
                    | SortColumn::MostDeprived
            );
        }
    }
}

/// Draws the filter box and the table; returns a row the user clicked. `population_year`
/// names the population column's year ("mid-2022").
pub fn list_ui(
    ui: &mut Ui,
    rows: &[ListRow],
    total: usize,
    state: &mut ListState,
    selected: Option<usize>,
    population_year: &str,
) -> Option<Action> {
    let mut action = None;
    ui.horizontal(|ui| {
        ui.label("Filter:");
        let response = ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text("code, name or lead")
                .desired_width(180.0),
        );
        ui.ctx()
            .accesskit_node_builder(response.id, |node| node.set_label(FILTER_LABEL));
        if !state.filter.is_empty()
            && ui
                .small_button("×")
                .on_hover_text("Clear the filter")
                .clicked()
        {
            state.filter.clear();
        }
        ui.label(RichText::new(format!("{} of {}", rows.len(), total)).small());
    });
    // Wider than its panel, the table scrolls sideways rather than pushing the map away.
    egui::ScrollArea::horizontal()
        .id_salt("list_columns")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .resizable(true)
                .sense(egui::Sense::click())
                .column(Column::auto().at_least(70.0))
                .column(Column::initial(180.0).at_least(80.0).clip(true))
                .column(Column::auto().at_least(80.0))
                .column(Column::auto().at_least(60.0))
                .column(Column::auto().at_least(50.0))
                .column(Column::auto().at_least(50.0))
                .column(Column::auto().at_least(80.0))
                .header(22.0, |mut row| {
                    row.col(|ui| header(ui, "Code", SortColumn::Code, state));
                    row.col(|ui| header(ui, "Name", SortColumn::Name, state));
                    row.col(|ui| {
                        header(
                            ui,
                            &format!("Population {population_year}"),
                            SortColumn::Population,
                            state,
                        )
                    });
                    row.col(|ui| header(ui, "Area km²", SortColumn::Area, state));
                    row.col(|ui| header(ui, "65+ %", SortColumn::Aged65, state));
                    row.col(|ui| header(ui, "Most deprived %", SortColumn::MostDeprived, state));
                    row.col(|ui| header(ui, "Lead", SortColumn::Lead, state));
                })
                .body(|body| {
                    body.rows(20.0, rows.len(), |mut row| {
                        let r = &rows[row.index()];
                        row.set_selected(selected == Some(r.index));
                        row.col(|ui| {
                            ui.add(egui::Label::new(&r.code).selectable(false));
                        });
                        row.col(|ui| {
                            ui.add(egui::Label::new(&r.name).selectable(false).truncate());
                        });
                        row.col(|ui| {
                            let text = r.population.map(thousands).unwrap_or_else(|| "—".into());
                            ui.add(egui::Label::new(text).selectable(false));
                        });
                        row.col(|ui| {
                            let text = r.area_km2.map(one_decimal).unwrap_or_else(|| "—".into());
                            ui.add(egui::Label::new(text).selectable(false));
                        });
                        for share in [r.aged_65, r.most_deprived] {
                            row.col(|ui| {
                                let text = share
                                    .map_or_else(|| "—".into(), |s| format!("{:.1}", s * 100.0));
                                ui.add(egui::Label::new(text).selectable(false));
                            });
                        }
                        row.col(|ui| {
                            let text = r.lead.clone().unwrap_or_else(|| "not known".into());
                            ui.add(egui::Label::new(text).selectable(false).truncate());
                        });
                        if row.response().clicked() {
                            action = Some(Action::SelectAndZoom(r.index));
                        }
                    });
                });
        });
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        index: usize,
        code: &str,
        name: &str,
        population: Option<u64>,
        lead: Option<&str>,
    ) -> ListRow {
        ListRow {
            index,
            code: code.into(),
            name: name.into(),
            population,
            area_km2: population.map(|p| p as f64 / 1000.0),
            lead: lead.map(str::to_string),
            aged_65: None,
            most_deprived: None,
        }
    }

    fn rows() -> Vec<ListRow> {
        vec![
            row(
                0,
                "E54000017",
                "Birmingham and Solihull",
                Some(1_180_567),
                Some("Mark Rogers"),
            ),
            row(1, "E54000027", "North West London", Some(2_103_719), None),
            row(
                2,
                "E54000016",
                "The Black Country",
                Some(1_376_504),
                Some("Andy Williams"),
            ),
            row(3, "X1", "Unknown", None, None),
        ]
    }

    fn order(state: &ListState) -> Vec<usize> {
        let mut r = rows();
        filter_and_sort(&mut r, state);
        r.iter().map(|r| r.index).collect()
    }

    #[test]
    fn sorting_by_each_column_keeps_unknowns_last() {
        let by = |sort, descending| ListState {
            filter: String::new(),
            sort,
            descending,
        };
        assert_eq!(order(&by(SortColumn::Code, false)), vec![2, 0, 1, 3]);
        assert_eq!(order(&by(SortColumn::Population, true)), vec![1, 2, 0, 3]);
        assert_eq!(order(&by(SortColumn::Population, false)), vec![0, 2, 1, 3]);
        assert_eq!(order(&by(SortColumn::Lead, false)), vec![2, 0, 1, 3]);
        assert_eq!(order(&by(SortColumn::Name, true)), vec![3, 2, 1, 0]);
    }

    #[test]
    fn filter_matches_code_name_or_lead_in_any_case() {
        let filter = |f: &str| ListState {
            filter: f.into(),
            ..ListState::default()
        };
        assert_eq!(order(&filter("london")), vec![1]);
        assert_eq!(order(&filter("ROGERS")), vec![0]);
        assert_eq!(order(&filter("e5400001")), vec![2, 0]);
        assert_eq!(order(&filter("zzz")), Vec::<usize>::new());
    }
}
