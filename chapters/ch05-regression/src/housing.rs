//! The California housing data: download, parse, and turn into features.
//!
//! The file is the copy published with *Hands-On Machine Learning*: one row
//! per census block group ("district"), ten columns. This module
//!
//! 1. fetches it with the toolbox's [`DataFile`] (checked against its
//!    SHA-256, cached under `data/housing/`, or read from `$HOUSING_DIR`);
//! 2. parses it with the `csv` crate into [`District`] records, refusing any
//!    row that does not parse and naming its line;
//! 3. builds the eight features of the classic version of the data set
//!    ([`FEATURE_NAMES`]) and the target, the median house value in units of
//!    100 000 dollars.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use ch00_toolbox::download::{DataFile, DownloadError, Source, default_cache_dir};
use ndarray::Array2;

// ANCHOR: data_file
/// The housing CSV: where it is published and what it must hash to.
pub const HOUSING_CSV: DataFile<'static> = DataFile {
    name: "housing.csv",
    urls: &[
        "https://raw.githubusercontent.com/ageron/handson-ml2/master/datasets/housing/housing.csv",
    ],
    sha256: "8a3727f4cf54ac1a327f69b1d5b4db54c5834ea81c6e4efc0d163300022a685e",
};

/// The environment variable that names a folder already holding the file.
pub const HOUSING_DIR: &str = "HOUSING_DIR";

/// Where the file is read from: `$HOUSING_DIR` if set, else the cache
/// `data/housing/` at the root of the repository.
pub fn housing_source() -> Source {
    Source::from_env(HOUSING_DIR, default_cache_dir("housing"))
}
// ANCHOR_END: data_file

/// The columns of the file, in order.
pub const COLUMNS: [&str; 10] = [
    "longitude",
    "latitude",
    "housing_median_age",
    "total_rooms",
    "total_bedrooms",
    "population",
    "households",
    "median_income",
    "median_house_value",
    "ocean_proximity",
];

// ANCHOR: district
/// One row of the file: a census block group ("district") of California in
/// 1990. Counts are totals over the district; `total_bedrooms` is missing
/// for a few districts.
#[derive(Clone, Debug, PartialEq)]
pub struct District {
    /// Degrees west are negative.
    pub longitude: f32,
    /// Degrees north.
    pub latitude: f32,
    /// Median age of the houses, in years.
    pub housing_median_age: f32,
    /// Rooms in all households of the district.
    pub total_rooms: f32,
    /// Bedrooms in all households, when known.
    pub total_bedrooms: Option<f32>,
    /// People living in the district.
    pub population: f32,
    /// Households (occupied homes) in the district; always positive.
    pub households: f32,
    /// Median household income, in tens of thousands of dollars.
    pub median_income: f32,
    /// Median house value, in dollars (capped at 500 001).
    pub median_house_value: f32,
    /// A category such as `NEAR BAY` or `INLAND` (not used as a feature).
    pub ocean_proximity: String,
}
// ANCHOR_END: district

/// What can go wrong while getting or reading the housing file.
#[derive(Debug)]
pub enum HousingError {
    /// The file could not be fetched or failed its checksum.
    Download(DownloadError),
    /// The file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The first line is not the expected header.
    Header {
        /// The header that was found.
        found: Vec<String>,
    },
    /// A data row that does not parse.
    Row {
        /// Its line number in the file (the header is line 1).
        line: u64,
        /// What is wrong with it.
        message: String,
    },
    /// The file has a header but no data rows.
    NoRows,
    /// A step needed data that was not there (e.g. no district had a known
    /// bedroom count to take the median of).
    Invalid(String),
    /// More rows than a split can shuffle (see [`crate::split::MAX_SPLIT_ROWS`]).
    TooManyRows {
        /// The number of rows asked for.
        rows: usize,
        /// The largest number allowed.
        max: usize,
    },
}

impl fmt::Display for HousingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HousingError::Download(e) => write!(f, "{e}"),
            HousingError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            HousingError::Header { found } => write!(
                f,
                "housing CSV line 1: expected the header {}, found {}",
                COLUMNS.join(","),
                found.join(",")
            ),
            HousingError::Row { line, message } => {
                write!(f, "housing CSV line {line}: {message}")
            }
            HousingError::NoRows => write!(f, "the housing CSV has a header but no data rows"),
            HousingError::Invalid(msg) => write!(f, "{msg}"),
            HousingError::TooManyRows { rows, max } => {
                write!(
                    f,
                    "cannot shuffle {rows} rows: the split takes at most {max}"
                )
            }
        }
    }
}

impl std::error::Error for HousingError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            HousingError::Download(e) => Some(e),
            HousingError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl From<DownloadError> for HousingError {
    fn from(e: DownloadError) -> Self {
        HousingError::Download(e)
    }
}

/// Fetches the file (see [`housing_source`]) and parses it.
pub fn load() -> Result<Vec<District>, HousingError> {
    let path = HOUSING_CSV.fetch(&housing_source())?;
    load_from(&path)
}

/// Parses the housing CSV at `path` (no checksum, no network).
pub fn load_from(path: &Path) -> Result<Vec<District>, HousingError> {
    let file = std::fs::File::open(path).map_err(|source| HousingError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_csv(std::io::BufReader::new(file))
}

// ANCHOR: parse_csv
/// Parses housing CSV text: a header with the ten [`COLUMNS`], then one
/// district per line. The first row that does not parse is an error naming
/// its line and what is wrong with it.
pub fn parse_csv(reader: impl Read) -> Result<Vec<District>, HousingError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true) // we check the field count ourselves, with a clearer message
        .from_reader(reader);
    let header = csv.headers().map_err(|e| csv_error(e, 1))?;
    if header.iter().ne(COLUMNS) {
        return Err(HousingError::Header {
            found: header.iter().map(str::to_string).collect(),
        });
    }
    let mut districts = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| csv_error(e, districts.len() as u64 + 2))?;
        let line = record.position().map_or(0, |p| p.line());
        districts.push(parse_row(&record).map_err(|message| HousingError::Row { line, message })?);
    }
    if districts.is_empty() {
        return Err(HousingError::NoRows);
    }
    Ok(districts)
}
// ANCHOR_END: parse_csv

/// A `csv` error (bad UTF-8, an I/O error) as a [`HousingError::Row`]; the
/// line is the one `csv` reports, or our best guess.
fn csv_error(e: csv::Error, guess: u64) -> HousingError {
    let line = e.position().map_or(guess, |p| p.line());
    HousingError::Row {
        line,
        message: e.to_string(),
    }
}

// ANCHOR: parse_row
/// One record into a [`District`], or a message saying which column is wrong.
fn parse_row(record: &csv::StringRecord) -> Result<District, String> {
    if record.len() != COLUMNS.len() {
        return Err(format!(
            "expected {} fields, found {}",
            COLUMNS.len(),
            record.len()
        ));
    }
    let number = |i: usize| -> Result<f32, String> {
        let text = record[i].trim();
        match text.parse::<f32>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("column {}: {text:?} is not a number", COLUMNS[i])),
        }
    };
    let total_bedrooms = match record[4].trim() {
        "" => None,
        _ => Some(number(4)?),
    };
    let households = number(6)?;
    if households <= 0.0 {
        return Err(format!("column households: {households} is not positive"));
    }
    Ok(District {
        longitude: number(0)?,
        latitude: number(1)?,
        housing_median_age: number(2)?,
        total_rooms: number(3)?,
        total_bedrooms,
        population: number(5)?,
        households,
        median_income: number(7)?,
        median_house_value: number(8)?,
        ocean_proximity: record[9].trim().to_string(),
    })
}
// ANCHOR_END: parse_row

/// The eight features, in column order, named as in the classic version of
/// the data set.
pub const FEATURE_NAMES: [&str; 8] = [
    "MedInc",
    "HouseAge",
    "AveRooms",
    "AveBedrms",
    "Population",
    "AveOccup",
    "Latitude",
    "Longitude",
];

/// The median of `values` (the mean of the middle two for an even count),
/// or `None` when there are none.
pub fn median(values: impl IntoIterator<Item = f32>) -> Option<f32> {
    let mut v: Vec<f32> = values.into_iter().collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f32::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        0.5 * (v[n / 2 - 1] + v[n / 2])
    })
}

// ANCHOR: imputation
/// Which statistic of the training districts fills a missing bedroom count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imputation {
    /// The median `total_bedrooms` itself: a count, blind to the size of the
    /// district it is pasted into.
    MedianCount,
    /// The median number of bedrooms *per household*, scaled by the
    /// district's households: the missing feature `AveBedrms` gets the
    /// training median of `AveBedrms`.
    MedianPerHousehold,
}

/// A fitted fill value for missing bedroom counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BedroomFill {
    /// Every missing `total_bedrooms` becomes this count.
    Count(f32),
    /// A missing `total_bedrooms` becomes this many bedrooms per household.
    PerHousehold(f32),
}
// ANCHOR_END: imputation

// ANCHOR: fill
impl Imputation {
    /// Learns the fill value from the districts with a known bedroom count
    /// (pass the training districts only); `None` if none is known.
    pub fn fit<'a>(self, train: impl IntoIterator<Item = &'a District>) -> Option<BedroomFill> {
        let known = train
            .into_iter()
            .filter_map(|d| d.total_bedrooms.map(|b| (b, d.households)));
        match self {
            Imputation::MedianCount => median(known.map(|(b, _)| b)).map(BedroomFill::Count),
            Imputation::MedianPerHousehold => {
                median(known.map(|(b, h)| b / h)).map(BedroomFill::PerHousehold)
            }
        }
    }
}

impl BedroomFill {
    /// The district's bedroom count, or the fill value when it is missing.
    pub fn bedrooms(&self, d: &District) -> f32 {
        match (d.total_bedrooms, *self) {
            (Some(b), _) => b,
            (None, BedroomFill::Count(c)) => c,
            (None, BedroomFill::PerHousehold(r)) => r * d.households,
        }
    }
}
// ANCHOR_END: fill

// ANCHOR: features
/// One district's eight features; a missing bedroom count comes from `fill`.
pub fn district_features(d: &District, fill: &BedroomFill) -> [f32; 8] {
    let bedrooms = fill.bedrooms(d);
    [
        d.median_income,
        d.housing_median_age,
        d.total_rooms / d.households, // average rooms per household
        bedrooms / d.households,      // average bedrooms per household
        d.population,
        d.population / d.households, // average occupancy
        d.latitude,
        d.longitude,
    ]
}

/// The feature matrix (`n × 8`) of the districts at `rows`; an index out
/// of range is an error.
pub fn features(
    districts: &[District],
    rows: &[usize],
    fill: &BedroomFill,
) -> Result<Array2<f32>, HousingError> {
    check_rows(districts, rows)?;
    let mut x = Array2::zeros((rows.len(), FEATURE_NAMES.len()));
    for (mut out, &r) in x.rows_mut().into_iter().zip(rows) {
        for (o, v) in out.iter_mut().zip(district_features(&districts[r], fill)) {
            *o = v;
        }
    }
    Ok(x)
}

/// The targets (`n × 1`): median house value in units of 100 000 dollars;
/// an index out of range is an error.
pub fn targets(districts: &[District], rows: &[usize]) -> Result<Array2<f32>, HousingError> {
    check_rows(districts, rows)?;
    Ok(Array2::from_shape_fn((rows.len(), 1), |(i, _)| {
        districts[rows[i]].median_house_value / 100_000.0
    }))
}

/// Refuses a row index that is not below the number of districts.
fn check_rows(districts: &[District], rows: &[usize]) -> Result<(), HousingError> {
    match rows.iter().find(|&&r| r >= districts.len()) {
        None => Ok(()),
        Some(r) => Err(HousingError::Invalid(format!(
            "district index {r} is out of range for {} districts",
            districts.len()
        ))),
    }
}
// ANCHOR_END: features

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "longitude,latitude,housing_median_age,total_rooms,total_bedrooms,\
                          population,households,median_income,median_house_value,ocean_proximity";

    fn csv_text(rows: &[&str]) -> String {
        let mut s = format!("{HEADER}\n");
        for r in rows {
            s.push_str(r);
            s.push('\n');
        }
        s
    }

    const ROW1: &str = "-122.23,37.88,41.0,880.0,129.0,322.0,126.0,8.3252,452600.0,NEAR BAY";
    const ROW2: &str = "-122.22,37.86,21.0,7099.0,,2401.0,1138.0,8.3014,358500.0,NEAR BAY";
    const ROW3: &str = "-118.0,34.0,10.0,1000.0,300.0,900.0,250.0,3.0,150000.0,INLAND";

    #[test]
    fn parses_rows_including_a_missing_bedroom_count() {
        let d = parse_csv(csv_text(&[ROW1, ROW2]).as_bytes()).unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].total_bedrooms, Some(129.0));
        assert_eq!(d[1].total_bedrooms, None);
        assert_eq!(d[0].median_income, 8.3252);
        assert_eq!(d[1].ocean_proximity, "NEAR BAY");
    }

    #[test]
    fn a_bad_number_names_its_line_and_column() {
        let bad = "-122.0,37.0,oops,880.0,129.0,322.0,126.0,8.3,452600.0,NEAR BAY";
        let err = parse_csv(csv_text(&[ROW1, ROW2, bad]).as_bytes()).unwrap_err();
        let HousingError::Row { line, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!(*line, 4, "header is line 1, so the third row is line 4");
        let text = err.to_string();
        assert!(
            text.contains("line 4") && text.contains("housing_median_age") && text.contains("oops"),
            "{text}"
        );
    }

    #[test]
    fn a_short_row_a_nan_and_a_zero_household_are_refused() {
        let short = "-122.0,37.0,41.0,880.0,129.0,322.0,126.0,8.3,452600.0";
        let err = parse_csv(csv_text(&[short]).as_bytes()).unwrap_err();
        assert!(
            err.to_string()
                .contains("line 2: expected 10 fields, found 9"),
            "{err}"
        );
        let nan = "-122.0,37.0,41.0,NaN,129.0,322.0,126.0,8.3,452600.0,INLAND";
        let err = parse_csv(csv_text(&[ROW1, nan]).as_bytes()).unwrap_err();
        assert!(
            err.to_string().contains("line 3") && err.to_string().contains("total_rooms"),
            "{err}"
        );
        let empty_income = "-122.0,37.0,41.0,880.0,129.0,322.0,126.0,,452600.0,INLAND";
        let err = parse_csv(csv_text(&[empty_income]).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("median_income"), "{err}");
        let zero = "-122.0,37.0,41.0,880.0,129.0,322.0,0,8.3,452600.0,INLAND";
        let err = parse_csv(csv_text(&[zero]).as_bytes()).unwrap_err();
        assert!(err.to_string().contains("households"), "{err}");
    }

    #[test]
    fn a_wrong_header_or_no_rows_is_an_error() {
        let err = parse_csv("a,b,c\n1,2,3\n".as_bytes()).unwrap_err();
        assert!(matches!(err, HousingError::Header { .. }), "{err}");
        assert!(err.to_string().contains("line 1"));
        let err = parse_csv(csv_text(&[]).as_bytes()).unwrap_err();
        assert!(matches!(err, HousingError::NoRows), "{err}");
    }

    #[test]
    fn features_are_per_household_averages_and_fill_missing_bedrooms() {
        let d = parse_csv(csv_text(&[ROW1, ROW2, ROW3]).as_bytes()).unwrap();
        let x = features(&d, &[0, 1], &BedroomFill::Count(500.0)).unwrap();
        assert_eq!(x.shape(), &[2, 8]);
        // Row 1: income, age, rooms/households, bedrooms/households,
        // population, population/households, latitude, longitude.
        let expected = [
            8.3252,
            41.0,
            880.0 / 126.0,
            129.0 / 126.0,
            322.0,
            322.0 / 126.0,
            37.88,
            -122.23,
        ];
        for (got, want) in x.row(0).iter().zip(expected) {
            assert!((got - want).abs() < 1e-5, "{got} vs {want}");
        }
        // Row 2 had no bedroom count: it gets the fill value.
        assert!((x[[1, 3]] - 500.0 / 1138.0).abs() < 1e-6);
        let x = features(&d, &[1], &BedroomFill::PerHousehold(1.1)).unwrap();
        assert!(
            (x[[0, 3]] - 1.1).abs() < 1e-6,
            "AveBedrms is the fill itself"
        );
        let y = targets(&d, &[2, 0]).unwrap();
        assert_eq!(y.shape(), &[2, 1]);
        assert!((y[[0, 0]] - 1.5).abs() < 1e-6 && (y[[1, 0]] - 4.526).abs() < 1e-6);
        // A row index past the end is an error, not a panic.
        let err = features(&d, &[0, 3], &BedroomFill::Count(1.0)).unwrap_err();
        assert!(err.to_string().contains("index 3"), "{err}");
        assert!(targets(&d, &[usize::MAX]).is_err());
    }

    #[test]
    fn imputation_learns_a_median_count_or_a_median_rate() {
        let d = parse_csv(csv_text(&[ROW1, ROW2, ROW3]).as_bytes()).unwrap();
        // Known counts 129 (126 households) and 300 (250 households).
        assert_eq!(
            Imputation::MedianCount.fit(&d),
            Some(BedroomFill::Count(214.5))
        );
        let Some(BedroomFill::PerHousehold(r)) = Imputation::MedianPerHousehold.fit(&d) else {
            panic!("a rate")
        };
        assert!((r - 0.5 * (129.0 / 126.0 + 300.0 / 250.0)).abs() < 1e-6);
        assert_eq!(
            Imputation::MedianCount.fit(&d[1..2]),
            None,
            "no known count"
        );
        // A known count is never replaced.
        assert_eq!(BedroomFill::Count(1.0).bedrooms(&d[0]), 129.0);
        assert_eq!(BedroomFill::PerHousehold(0.5).bedrooms(&d[1]), 569.0);
        assert_eq!(median([3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median([]), None);
    }
}
