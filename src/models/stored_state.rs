//! A stored state that names no value of its enum (`domain::states`) is a database error like
//! any row that cannot be read: `?` turns it into one, so a model never hands out a default.

use crate::domain::states::UnknownState;

impl From<UnknownState> for diesel::result::Error {
    fn from(unknown: UnknownState) -> Self {
        diesel::result::Error::DeserializationError(Box::new(unknown))
    }
}
