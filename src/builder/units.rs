//! The builder's block levels: LSOA 2021 alone, or whole sub-ICB locations (April 2026) or
//! councils (May 2024), each of which moves as its LSOAs. Splitting one means dropping to LSOAs.

use serde::{Deserialize, Serialize};

use super::BlockSet;

/// What a click or a brush moves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BlockLevel {
    /// One LSOA 2021 at a time.
    #[default]
    Lsoa,
    /// A whole sub-ICB location (April 2026): all its LSOAs.
    SubIcb2026,
    /// A whole council (May 2024): all its LSOAs.
    Council2024,
}

impl BlockLevel {
    pub const ALL: [BlockLevel; 3] = [
        BlockLevel::Lsoa,
        BlockLevel::SubIcb2026,
        BlockLevel::Council2024,
    ];

    pub fn title(self) -> &'static str {
        match self {
            BlockLevel::Lsoa => "LSOA 2021",
            BlockLevel::SubIcb2026 => "Sub-ICB location 2026",
            BlockLevel::Council2024 => "Council 2024",
        }
    }
}

/// The units of one level: each unit's (code, name), each block's unit and each unit's blocks
/// (in the block set's order).
#[derive(Clone, Debug, Default)]
pub struct Units {
    pub areas: Vec<(String, String)>,
    pub of_block: Vec<Option<u32>>,
    pub blocks: Vec<Vec<usize>>,
}

impl Units {
    /// The units of a lookup over `set`.
    pub(super) fn of(set: &BlockSet, grouping: &crate::blocks::Grouping) -> Self {
        Units {
            areas: grouping.areas.clone(),
            of_block: set.assignment_of(grouping),
            blocks: set.by_lookup(grouping),
        }
    }
}

/// A unit a pointer is on: what it is called and the blocks that move with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    /// "Rushmoor" (a council), "NHS Frimley ICB - 15A" or "Hart 001A (E01022681)".
    pub label: String,
    pub blocks: Vec<usize>,
}

impl BlockSet {
    /// The units of `level`, or `None` for LSOAs (each block its own unit).
    pub fn units(&self, level: BlockLevel) -> Option<&Units> {
        match level {
            BlockLevel::Lsoa => None,
            BlockLevel::SubIcb2026 => Some(&self.sub_icbs),
            BlockLevel::Council2024 => Some(&self.councils),
        }
    }

    /// The unit that holds `block` at `level`: the block alone for LSOAs (or when the lookup
    /// does not know it), else all the blocks of its sub-ICB location or council.
    pub fn unit_of(&self, level: BlockLevel, block: usize) -> Option<Unit> {
        let code = self.codes.get(block)?;
        if let Some(units) = self.units(level)
            && let Some(u) = units.of_block.get(block).copied().flatten()
            && let (Some((_, name)), Some(blocks)) =
                (units.areas.get(u as usize), units.blocks.get(u as usize))
        {
            return Some(Unit {
                label: name.clone(),
                blocks: blocks.clone(),
            });
        }
        let name = self.names.get(block).filter(|n| *n != code);
        Some(Unit {
            label: match name {
                Some(name) => format!("{name} ({code})"),
                None => code.clone(),
            },
            blocks: vec![block],
        })
    }

    /// Every unit touched by `blocks` at `level`, each once, with all their blocks.
    pub fn units_of(&self, level: BlockLevel, blocks: &[usize]) -> Vec<Unit> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for &block in blocks {
            let key = match self.units(level) {
                Some(units) => units
                    .of_block
                    .get(block)
                    .copied()
                    .flatten()
                    .map(|u| u as usize),
                None => None,
            };
            let key = key.map_or((false, block), |u| (true, u));
            if seen.insert(key)
                && let Some(unit) = self.unit_of(level, block)
            {
                out.push(unit);
            }
        }
        out
    }
}
