//! Months ↔ instants in time zones other than UTC: daylight saving changes, zones far from
//! UTC, and local midnights that are skipped or repeated. The cases are tables, one row per
//! zone and month (or instant), each row saying why it is there; each property walks its table,
//! so a new zone is one row, checked by every property.

use chrono::{DateTime, TimeDelta, Utc};

use super::Month;
use crate::domain::Zone;

fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("zone")
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("instant")
}

fn month(text: &str) -> Month {
    Month::parse(text).expect("month")
}

/// A month of a zone, with the instants it starts and ends at and how long it lasts.
struct Bounds {
    zone: &'static str,
    month: &'static str,
    start: &'static str,
    end: &'static str,
    /// The month's length: its days, give or take the hour its clocks change by.
    hours: i64,
    why: &'static str,
}

const BOUNDS: &[Bounds] = &[
    Bounds {
        zone: "Europe/Paris",
        month: "2026-03",
        start: "2026-02-28T23:00:00Z",
        end: "2026-03-31T22:00:00Z",
        hours: 31 * 24 - 1,
        why: "summer time from the 29th: starts at +01:00, ends at +02:00, an hour short",
    },
    Bounds {
        zone: "Europe/Paris",
        month: "2026-10",
        start: "2026-09-30T22:00:00Z",
        end: "2026-10-31T23:00:00Z",
        hours: 31 * 24 + 1,
        why: "winter time from the 25th: an hour longer",
    },
    Bounds {
        zone: "Pacific/Kiritimati",
        month: "2026-11",
        start: "2026-10-31T10:00:00Z",
        end: "2026-11-30T10:00:00Z",
        hours: 30 * 24,
        why: "UTC+14: November begins on 31 October at 10:00 UTC",
    },
    Bounds {
        zone: "America/Los_Angeles",
        month: "2026-11",
        start: "2026-11-01T07:00:00Z",
        end: "2026-12-01T08:00:00Z",
        hours: 30 * 24 + 1,
        why: "begins at 00:00 PDT (07:00 UTC), an hour before winter time; ends in PST",
    },
    Bounds {
        zone: "America/Los_Angeles",
        month: "2026-03",
        start: "2026-03-01T08:00:00Z",
        end: "2026-04-01T07:00:00Z",
        hours: 31 * 24 - 1,
        why: "starts in PST, ends in PDT",
    },
    Bounds {
        zone: "America/Asuncion",
        month: "2023-09",
        start: "2023-09-01T04:00:00Z",
        end: "2023-10-01T04:00:00Z",
        hours: 30 * 24,
        why: "ends where October's skipped midnight starts it",
    },
    Bounds {
        zone: "America/Asuncion",
        month: "2023-10",
        start: "2023-10-01T04:00:00Z",
        end: "2023-11-01T03:00:00Z",
        hours: 31 * 24 - 1,
        why: "clocks set from 00:00 to 01:00 on the 1st: the month starts at the jump, \
              04:00 UTC (00:00 at -04:00, 01:00 at -03:00)",
    },
    Bounds {
        zone: "America/Havana",
        month: "2026-11",
        start: "2026-11-01T04:00:00Z",
        end: "2026-12-01T05:00:00Z",
        hours: 30 * 24 + 1,
        why: "clocks set from 01:00 back to 00:00 on the 1st: midnight happens at 04:00 and \
              again at 05:00 UTC; the month starts at the first",
    },
    Bounds {
        zone: "UTC",
        month: "2026-11",
        start: "2026-11-01T00:00:00Z",
        end: "2026-12-01T00:00:00Z",
        hours: 30 * 24,
        why: "UTC months are what they always were",
    },
];

/// An instant and the month it belongs to in a zone.
struct Within {
    zone: &'static str,
    instant: &'static str,
    month: &'static str,
    why: &'static str,
}

const WITHIN: &[Within] = &[
    Within {
        zone: "Europe/Paris",
        instant: "2026-10-31T22:30:00Z",
        month: "2026-10",
        why: "23:30 local, October's last half hour",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-10-31T22:59:59Z",
        month: "2026-10",
        why: "October's last second",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-10-31T23:00:00Z",
        month: "2026-11",
        why: "November's local midnight",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-10-31T23:30:00Z",
        month: "2026-11",
        why: "already November in Paris",
    },
    Within {
        zone: "UTC",
        instant: "2026-10-31T23:30:00Z",
        month: "2026-10",
        why: "the same instant is still October in UTC",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-10-25T00:30:00Z",
        month: "2026-10",
        why: "the hour October's last Sunday repeats, first time",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-10-25T01:30:00Z",
        month: "2026-10",
        why: "the hour October's last Sunday repeats, second time",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-02-28T22:59:59Z",
        month: "2026-02",
        why: "February's last second",
    },
    Within {
        zone: "Europe/Paris",
        instant: "2026-02-28T23:00:00Z",
        month: "2026-03",
        why: "March's local midnight",
    },
    Within {
        zone: "Pacific/Kiritimati",
        instant: "2026-10-31T09:59:59Z",
        month: "2026-10",
        why: "UTC+14: October's last second",
    },
    Within {
        zone: "Pacific/Kiritimati",
        instant: "2026-10-31T10:00:00Z",
        month: "2026-11",
        why: "UTC+14: November's first instant",
    },
    Within {
        zone: "America/Los_Angeles",
        instant: "2026-11-01T06:59:59Z",
        month: "2026-10",
        why: "23:59:59 PDT on 31 October",
    },
    Within {
        zone: "America/Asuncion",
        instant: "2023-10-01T03:59:59Z",
        month: "2023-09",
        why: "the second before the skipped midnight",
    },
    Within {
        zone: "America/Asuncion",
        instant: "2023-10-01T04:00:00Z",
        month: "2023-10",
        why: "the jump over the skipped midnight",
    },
    Within {
        zone: "America/Havana",
        instant: "2026-11-01T03:59:59Z",
        month: "2026-10",
        why: "the second before the first of the two midnights",
    },
    Within {
        zone: "America/Havana",
        instant: "2026-11-01T04:00:00Z",
        month: "2026-11",
        why: "the first of the two midnights",
    },
];

#[test]
fn a_month_runs_from_local_midnight_to_local_midnight() {
    for case in BOUNDS {
        let (tz, m) = (zone(case.zone), month(case.month));
        let name = format!("{} {}: {}", case.zone, case.month, case.why);
        assert_eq!(m.start(tz), at(case.start), "start of {name}");
        assert_eq!(m.end(tz), at(case.end), "end of {name}");
    }
}

#[test]
fn a_month_lasts_its_days_give_or_take_the_hour_its_clocks_change() {
    for case in BOUNDS {
        let (tz, m) = (zone(case.zone), month(case.month));
        assert_eq!(
            m.end(tz) - m.start(tz),
            TimeDelta::hours(case.hours),
            "{} {}: {}",
            case.zone,
            case.month,
            case.why
        );
    }
}

#[test]
fn months_follow_each_other_without_gap_or_overlap() {
    let second = TimeDelta::seconds(1);
    for case in BOUNDS {
        let (tz, m) = (zone(case.zone), month(case.month));
        let name = format!("{} {}: {}", case.zone, case.month, case.why);
        assert_eq!(m.previous().end(tz), m.start(tz), "{name}");
        assert_eq!(m.end(tz), m.next().start(tz), "{name}");
        assert_eq!(Month::containing(m.start(tz), tz), m, "{name}");
        assert_eq!(
            Month::containing(m.start(tz) - second, tz),
            m.previous(),
            "{name}"
        );
        assert_eq!(Month::containing(m.end(tz) - second, tz), m, "{name}");
        assert_eq!(Month::containing(m.end(tz), tz), m.next(), "{name}");
    }
}

#[test]
fn an_instant_belongs_to_its_local_month() {
    for case in WITHIN {
        assert_eq!(
            Month::containing(at(case.instant), zone(case.zone)),
            month(case.month),
            "{} in {}: {}",
            case.instant,
            case.zone,
            case.why
        );
    }
}

#[test]
fn utc_is_the_default_zone_and_its_name_parses_to_it() {
    assert_eq!(Zone::default(), Zone::UTC);
    assert_eq!(zone("UTC"), Zone::UTC);
}

#[test]
fn only_iana_names_parse() {
    assert_eq!(zone("Europe/Paris").name(), "Europe/Paris");
    assert_eq!(zone("UTC").name(), "UTC");
    for bad in ["Europe/Pariss", "", "CEST+2", "paris"] {
        assert!(Zone::parse(bad).is_err(), "{bad:?}");
    }
}
