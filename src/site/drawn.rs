//! What a chart drawn by a file of its own gives (the timeline, a KPI's progress, a stacked
//! bar): its marks, its size, its data table and its CSV; `chart` frames it into a `Chart`.

pub(crate) struct Drawn<Marks> {
    pub(crate) marks: Marks,
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) table_header: Vec<String>,
    pub(crate) table_rows: Vec<Vec<String>>,
    pub(crate) csv: String,
}
