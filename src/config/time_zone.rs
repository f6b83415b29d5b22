//! `OBOLE_TIME_ZONE`: the IANA zone whose calendar months follow (UTC when unset).

use super::ConfigError;
use crate::domain::Zone;

pub(super) fn parse_time_zone(text: Option<String>) -> Result<Zone, ConfigError> {
    match text {
        None => Ok(Zone::UTC),
        Some(text) => Zone::parse(&text).map_err(|e| ConfigError::new("time_zone", e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Settings;
    use crate::domain::Zone;

    #[test]
    fn the_zone_is_utc_unless_set() {
        let settings = Settings::from_pairs(&[]).expect("defaults");
        assert_eq!(settings.time_zone, Zone::UTC);
        let settings =
            Settings::from_pairs(&[("OBOLE_TIME_ZONE", "Europe/Paris")]).expect("a zone");
        assert_eq!(settings.time_zone.name(), "Europe/Paris");
    }

    #[test]
    fn an_unknown_zone_names_the_variable() {
        let error = Settings::from_pairs(&[("OBOLE_TIME_ZONE", "Europe/Atlantis")])
            .expect_err("unknown zone");
        let text = error.to_string();
        assert!(text.starts_with("OBOLE_TIME_ZONE"), "{text}");
        assert!(text.contains("Europe/Atlantis"), "{text}");
    }
}
