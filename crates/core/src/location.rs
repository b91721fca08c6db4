//! Where a station is: the installer's GPS fix and the station's time zone.
//!
//! Onboarding ("Activation sticker and installer claim"): the installer pinpoints a station with "GPS coordinates
//! from the browser with their accuracy" and gives "the station's time zone, derived from the location or
//! chosen". A [`Pinpoint`] is a checked fix; [`derive_time_zone`] derives the zone only where that is certain
//! and otherwise lists the country's zones for the installer to choose from.

mod tz_data;

use std::fmt;

use crate::DomainError;
use crate::country::CountryCode;

/// A point on the WGS 84 ellipsoid, in decimal degrees, as browsers' Geolocation API gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

impl GeoPoint {
    /// `lat` in −90..=90 and `lon` in −180..=180, both finite.
    pub fn new(lat: f64, lon: f64) -> Result<GeoPoint, DomainError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(DomainError::invalid("latitude", &lat.to_string(), "must be a number from -90 to 90"));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(DomainError::invalid("longitude", &lon.to_string(), "must be a number from -180 to 180"));
        }
        Ok(GeoPoint { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }
}

impl fmt::Display for GeoPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Six decimals are about 0.1 m: more than any phone's GPS can tell.
        write!(f, "{:.6},{:.6}", self.lat, self.lon)
    }
}

/// The installer's fix of a station: the point and, when the browser reports it, its accuracy (the radius in
/// metres of 95% confidence, as the Geolocation API's `coords.accuracy`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pinpoint {
    point: GeoPoint,
    accuracy_m: Option<f64>,
}

impl Pinpoint {
    /// Refuses a negative or non-finite accuracy, and the point 0, 0: in the Gulf of Guinea, it is what a
    /// failed GPS fix or an unset field reports, never a charging station.
    pub fn new(point: GeoPoint, accuracy_m: Option<f64>) -> Result<Pinpoint, DomainError> {
        if point.lat == 0.0 && point.lon == 0.0 {
            return Err(DomainError::invalid("location", "0,0", "0, 0 is what a failed GPS fix reports; locate again"));
        }
        if let Some(a) = accuracy_m
            && (!a.is_finite() || a < 0.0)
        {
            return Err(DomainError::invalid("accuracy", &a.to_string(), "must be a number of metres, 0 or more"));
        }
        Ok(Pinpoint { point, accuracy_m })
    }

    pub fn point(&self) -> GeoPoint {
        self.point
    }

    pub fn accuracy_m(&self) -> Option<f64> {
        self.accuracy_m
    }
}

/// The mean radius of the Earth (IUGG), in metres.
const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The great-circle distance between two points in metres (haversine, on a sphere: within 0.5% of the
/// ellipsoidal distance, plenty for "is the station where the installer said").
pub fn distance_m(a: GeoPoint, b: GeoPoint) -> f64 {
    let (phi1, phi2) = (a.lat.to_radians(), b.lat.to_radians());
    let dphi = (b.lat - a.lat).to_radians();
    let dlambda = (b.lon - a.lon).to_radians();
    let h = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// An IANA time zone name (`Europe/Amsterdam`), one of the zones of the IANA database's `zone.tab` or
/// `Etc/UTC`.
///
/// Parsing is lenient about spelling but stores the canonical name: case is ignored (`europe/amsterdam`) and
/// old names are replaced by the zone they are now (`Europe/Kiev` is `Europe/Kyiv`, `US/Eastern` is
/// `America/New_York`, `UTC` is `Etc/UTC`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeZoneName(&'static str);

impl TimeZoneName {
    /// Longer than any real zone name (the longest is 30 characters).
    const MAX_LEN: usize = 64;

    pub fn parse(s: &str) -> Result<TimeZoneName, DomainError> {
        let t = s.trim();
        if t.is_empty() || t.len() > Self::MAX_LEN {
            return Err(DomainError::invalid("time zone", s, "must be an IANA time zone name, e.g. Europe/Amsterdam"));
        }
        if let Ok(i) = tz_data::ZONES.binary_search(&t) {
            return Ok(TimeZoneName(tz_data::ZONES[i]));
        }
        if let Some(z) = tz_data::ZONES.iter().find(|z| z.eq_ignore_ascii_case(t)) {
            return Ok(TimeZoneName(z));
        }
        if let Some((_, z)) = tz_data::LINKS.iter().find(|(old, _)| old.eq_ignore_ascii_case(t)) {
            return Ok(TimeZoneName(z));
        }
        Err(DomainError::invalid("time zone", s, "is not an IANA time zone name; e.g. Europe/Amsterdam"))
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }

    /// `Etc/UTC`.
    pub fn utc() -> TimeZoneName {
        TimeZoneName("Etc/UTC")
    }

    /// Every zone name, sorted.
    pub fn all() -> impl Iterator<Item = TimeZoneName> {
        tz_data::ZONES.iter().map(|z| TimeZoneName(z))
    }
}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl AsRef<str> for TimeZoneName {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::str::FromStr for TimeZoneName {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        TimeZoneName::parse(s)
    }
}

/// A country's time zones as `zone.tab` lists them, the most populous first: one for most countries
/// (`NL` → `Europe/Amsterdam`), many for large ones (`US` has 29). Empty only for the uninhabited Bouvet
/// Island (BV) and Heard and McDonald Islands (HM).
pub fn zones_for_country(country: CountryCode) -> &'static [&'static str] {
    tz_data::COUNTRY_ZONES
        .binary_search_by(|(c, _)| (*c).cmp(country.as_str()))
        .map(|i| tz_data::COUNTRY_ZONES[i].1)
        .unwrap_or(&[])
}

/// Whether `zone` is one of `country`'s zones: what a zone the installer chose must be.
pub fn is_zone_of_country(country: CountryCode, zone: TimeZoneName) -> bool {
    zones_for_country(country).contains(&zone.as_str())
}

/// What [`derive_time_zone`] could tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeZoneChoice {
    /// The station's zone, certain from its country and location.
    Derived(TimeZoneName),
    /// The installer chooses one of these (the country's zones, most populous first).
    Choose(&'static [&'static str]),
}

/// The station's time zone from its country and GPS fix, or the zones to choose from.
///
/// A country with one zone gives it. A country with several gives one only where a coarse rule cannot be
/// wrong, because the zones lie on land separated by sea or in a small enclave:
///
/// - ES: the Canary Islands (`Atlantic/Canary`), Ceuta and Melilla in Africa (`Africa/Ceuta`), the mainland
///   and the Balearic Islands (`Europe/Madrid`);
/// - PT: the Azores (`Atlantic/Azores`), Madeira (`Atlantic/Madeira`), the mainland (`Europe/Lisbon`);
/// - DE: the enclave of Büsingen (`Europe/Busingen`), the rest (`Europe/Berlin`);
/// - NZ: the Chatham Islands (`Pacific/Chatham`), the rest (`Pacific/Auckland`);
/// - EC: the Galápagos (`Pacific/Galapagos`), the mainland (`America/Guayaquil`).
///
/// Everywhere else (the US, Canada, Australia, Brazil, Mexico, Russia, Indonesia, Kazakhstan…) zone borders
/// follow states, counties and even towns, so bands of longitude would put stations in the wrong zone: the
/// installer chooses from [`TimeZoneChoice::Choose`], which lists the candidates. A point outside every rule's
/// area also gets the list. For BV and HM, which have no zone, the list is every zone.
pub fn derive_time_zone(country: CountryCode, point: GeoPoint) -> TimeZoneChoice {
    let zones = zones_for_country(country);
    let derived = |z: &'static str| TimeZoneChoice::Derived(TimeZoneName(z));
    match zones {
        [] => return TimeZoneChoice::Choose(tz_data::ZONES),
        [only] => return derived(only),
        _ => {}
    }
    let (lat, lon) = (point.lat, point.lon);
    let zone = match country.as_str() {
        "ES" if (27.0..30.0).contains(&lat) && (-18.5..-13.0).contains(&lon) => Some("Atlantic/Canary"),
        // Ceuta, Melilla and the small islands off Morocco, all south of Punta de Tarifa (36.0° N).
        "ES" if (35.0..35.95).contains(&lat) && (-5.5..-2.0).contains(&lon) => Some("Africa/Ceuta"),
        "ES" if (36.0..44.0).contains(&lat) && (-9.5..4.5).contains(&lon) => Some("Europe/Madrid"),
        "PT" if (36.5..40.0).contains(&lat) && (-31.5..-24.5).contains(&lon) => Some("Atlantic/Azores"),
        "PT" if (29.5..33.5).contains(&lat) && (-17.5..-15.5).contains(&lon) => Some("Atlantic/Madeira"),
        "PT" if (36.8..42.3).contains(&lat) && (-9.6..-6.0).contains(&lon) => Some("Europe/Lisbon"),
        // Within about 1 km of Büsingen's centre: German territory there is Büsingen only. Elsewhere in
        // Germany, Berlin (the two zones have kept the same time since 1980 in any case).
        "DE" if (47.689..47.704).contains(&lat) && (8.675..8.705).contains(&lon) => Some("Europe/Busingen"),
        "DE" => Some("Europe/Berlin"),
        "NZ" if (-44.6..-43.4).contains(&lat) && (-177.0..-175.8).contains(&lon) => Some("Pacific/Chatham"),
        "NZ" if (-48.0..-34.0).contains(&lat) && (165.0..179.0).contains(&lon) => Some("Pacific/Auckland"),
        "EC" if lon < -85.0 => Some("Pacific/Galapagos"),
        "EC" if lon > -82.0 => Some("America/Guayaquil"),
        _ => None,
    };
    match zone {
        Some(z) => derived(z),
        None => TimeZoneChoice::Choose(zones),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cc(s: &str) -> CountryCode {
        CountryCode::parse(s).unwrap()
    }

    fn pt(lat: f64, lon: f64) -> GeoPoint {
        GeoPoint::new(lat, lon).unwrap()
    }

    #[test]
    fn points() {
        assert!(GeoPoint::new(52.09, 5.12).is_ok());
        assert!(GeoPoint::new(90.0, 180.0).is_ok());
        assert!(GeoPoint::new(-90.0, -180.0).is_ok());
        for (lat, lon) in
            [(90.1, 0.0), (-91.0, 0.0), (0.0, 180.5), (0.0, -181.0), (f64::NAN, 0.0), (0.0, f64::INFINITY)]
        {
            assert!(GeoPoint::new(lat, lon).is_err(), "{lat},{lon}");
        }
        assert_eq!(pt(52.0907, 5.1214).to_string(), "52.090700,5.121400");
    }

    #[test]
    fn pinpoints() {
        let p = Pinpoint::new(pt(52.09, 5.12), Some(4.5)).unwrap();
        assert_eq!(p.accuracy_m(), Some(4.5));
        assert_eq!(p.point(), pt(52.09, 5.12));
        assert!(Pinpoint::new(pt(52.09, 5.12), None).is_ok());
        assert!(Pinpoint::new(pt(52.09, 5.12), Some(0.0)).is_ok());
        assert!(Pinpoint::new(pt(52.09, 5.12), Some(-1.0)).is_err());
        assert!(Pinpoint::new(pt(52.09, 5.12), Some(f64::NAN)).is_err());
        assert!(Pinpoint::new(pt(52.09, 5.12), Some(f64::INFINITY)).is_err());
        assert!(Pinpoint::new(pt(0.0, 0.0), Some(5.0)).is_err());
    }

    #[test]
    fn haversine() {
        // Amsterdam Centraal to Utrecht Centraal: about 35 km as the crow flies.
        let d = distance_m(pt(52.3791, 4.9003), pt(52.0894, 5.1101));
        assert!((d - 35_000.0).abs() < 1_000.0, "{d}");
        assert_eq!(distance_m(pt(52.0, 5.0), pt(52.0, 5.0)), 0.0);
        // A quarter of the equator, and antipodes (half the circumference), symmetric.
        let quarter = distance_m(pt(0.0, 0.0), pt(0.0, 90.0));
        assert!((quarter - 10_007_557.0).abs() < 10.0, "{quarter}");
        let half = distance_m(pt(90.0, 0.0), pt(-90.0, 0.0));
        assert!((half - 2.0 * quarter).abs() < 1.0, "{half}");
        assert_eq!(distance_m(pt(1.0, 2.0), pt(3.0, 4.0)), distance_m(pt(3.0, 4.0), pt(1.0, 2.0)));
        // Across the antimeridian: 179.9 E to 179.9 W is 0.2 degrees, not 359.8.
        assert!(distance_m(pt(0.0, 179.9), pt(0.0, -179.9)) < 23_000.0);
    }

    #[test]
    fn the_tables_are_consistent() {
        assert!(tz_data::ZONES.windows(2).all(|w| w[0] < w[1]), "binary search needs ZONES sorted");
        assert!(tz_data::COUNTRY_ZONES.windows(2).all(|w| w[0].0 < w[1].0), "and COUNTRY_ZONES");
        for (c, zones) in tz_data::COUNTRY_ZONES {
            assert!(CountryCode::parse(c).is_ok(), "{c}");
            assert!(!zones.is_empty());
            for z in *zones {
                assert!(tz_data::ZONES.binary_search(z).is_ok(), "{z}");
            }
        }
        for (old, new) in tz_data::LINKS {
            assert!(tz_data::ZONES.binary_search(new).is_ok(), "{old} -> {new}");
            assert!(tz_data::ZONES.binary_search(old).is_err(), "{old} is a zone and a link");
        }
        // Every country has zones, except the two uninhabited ones.
        let without: Vec<_> = CountryCode::all().filter(|c| zones_for_country(*c).is_empty()).collect();
        assert_eq!(without, [cc("BV"), cc("HM")]);
    }

    #[test]
    fn zone_names() {
        for z in ["Europe/Amsterdam", "America/New_York", "America/Argentina/Buenos_Aires", "Etc/UTC"] {
            assert_eq!(TimeZoneName::parse(z).unwrap().as_str(), z);
        }
        assert_eq!(TimeZoneName::parse(" europe/amsterdam ").unwrap().as_str(), "Europe/Amsterdam");
        assert_eq!(TimeZoneName::parse("Europe/Kiev").unwrap().as_str(), "Europe/Kyiv");
        assert_eq!(TimeZoneName::parse("US/Eastern").unwrap().as_str(), "America/New_York");
        assert_eq!(TimeZoneName::parse("Asia/Calcutta").unwrap().as_str(), "Asia/Kolkata");
        assert_eq!(TimeZoneName::parse("UTC").unwrap(), TimeZoneName::utc());
        for bad in ["Mars/Olympus", "", "Europe", "Europe/Amsterdam/", "CET", &"x".repeat(100)] {
            assert!(TimeZoneName::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(TimeZoneName::all().count() > 400);
    }

    #[test]
    fn zones_of_countries() {
        assert_eq!(zones_for_country(cc("NL")), ["Europe/Amsterdam"]);
        assert_eq!(zones_for_country(cc("GB")), ["Europe/London"]);
        assert_eq!(zones_for_country(cc("BE")), ["Europe/Brussels"]);
        let us = zones_for_country(cc("US"));
        assert!(us.len() > 20, "{us:?}");
        assert_eq!(us[0], "America/New_York", "the most populous first");
        assert!(us.contains(&"America/Los_Angeles") && us.contains(&"Pacific/Honolulu"));
        assert_eq!(zones_for_country(cc("DE")), ["Europe/Berlin", "Europe/Busingen"]);
        assert!(zones_for_country(cc("AU")).contains(&"Australia/Sydney"));
        let ams = TimeZoneName::parse("Europe/Amsterdam").unwrap();
        assert!(is_zone_of_country(cc("NL"), ams));
        assert!(!is_zone_of_country(cc("BE"), ams));
    }

    #[test]
    fn deriving_zones() {
        let derived = |c: &str, lat: f64, lon: f64| match derive_time_zone(cc(c), pt(lat, lon)) {
            TimeZoneChoice::Derived(z) => Some(z.as_str()),
            TimeZoneChoice::Choose(_) => None,
        };
        // One zone: whatever the point.
        assert_eq!(derived("NL", 52.09, 5.12), Some("Europe/Amsterdam"));
        assert_eq!(derived("FR", 48.85, 2.35), Some("Europe/Paris"));
        // Islands and enclaves.
        assert_eq!(derived("ES", 40.42, -3.70), Some("Europe/Madrid"));
        assert_eq!(derived("ES", 39.57, 2.65), Some("Europe/Madrid"));
        assert_eq!(derived("ES", 28.12, -15.43), Some("Atlantic/Canary"));
        assert_eq!(derived("ES", 35.889, -5.32), Some("Africa/Ceuta"));
        assert_eq!(derived("ES", 35.29, -2.94), Some("Africa/Ceuta"));
        assert_eq!(derived("ES", 36.013, -5.605), Some("Europe/Madrid"));
        assert_eq!(derived("PT", 38.72, -9.14), Some("Europe/Lisbon"));
        assert_eq!(derived("PT", 32.65, -16.91), Some("Atlantic/Madeira"));
        assert_eq!(derived("PT", 37.74, -25.67), Some("Atlantic/Azores"));
        assert_eq!(derived("DE", 52.52, 13.40), Some("Europe/Berlin"));
        assert_eq!(derived("DE", 47.697, 8.690), Some("Europe/Busingen"));
        assert_eq!(derived("NZ", -36.85, 174.76), Some("Pacific/Auckland"));
        assert_eq!(derived("NZ", -43.95, -176.56), Some("Pacific/Chatham"));
        assert_eq!(derived("EC", -0.74, -90.31), Some("Pacific/Galapagos"));
        assert_eq!(derived("EC", -2.17, -79.92), Some("America/Guayaquil"));
        // No reliable rule: the installer chooses.
        assert_eq!(derive_time_zone(cc("US"), pt(40.71, -74.0)), TimeZoneChoice::Choose(zones_for_country(cc("US"))));
        assert_eq!(derived("CA", 43.65, -79.38), None);
        assert_eq!(derived("AU", -33.87, 151.21), None);
        assert_eq!(derived("RU", 55.75, 37.62), None);
        // A point outside every rule's area.
        assert_eq!(derived("PT", 10.0, 10.0), None);
        match derive_time_zone(cc("BV"), pt(-54.42, 3.36)) {
            TimeZoneChoice::Choose(zones) => assert!(zones.len() > 400),
            other => panic!("{other:?}"),
        }
    }
}
