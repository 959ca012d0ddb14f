//! "Which footprint is this in?": query parsing, the place and postcode gazetteers, and
//! resolving a query to a point and a footprint.

pub mod coordinates;
pub mod places;
pub mod postcode_table;
pub mod postcodes;
pub mod query;
pub mod resolve;
