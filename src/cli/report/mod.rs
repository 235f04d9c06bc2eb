//! The reports of `reframe check`, one module per format; this module holds what they
//! all read (the checked documents) and [`StreamedArray`], which writes a pretty-printed
//! JSON document whose one big array is written an element at a time.

pub(crate) mod github;
pub(crate) mod human;
pub(crate) mod json;
pub(crate) mod sarif;
pub(crate) mod summary;

use std::io::Write;
use std::sync::Arc;

use reframe_core::analysis::{Analysis, SectionStatus};
use reframe_core::document::Document;
use reframe_core::template::Template;

use crate::cli::inputs::Input;

/// One checked document.
pub(crate) struct Checked {
    pub(crate) input: Input,
    pub(crate) doc: Document,
    pub(crate) analysis: Analysis,
    pub(crate) template: Arc<Template>,
    /// Safe fixes applied (with `--fix`).
    pub(crate) fixed: usize,
}

/// How many of the template's sections to fill (guidance-only ones aside) the write-up
/// has, and how many there are.
pub(crate) fn section_progress(analysis: &Analysis, template: &Template) -> (usize, usize) {
    let mut present = 0;
    let mut total = 0;
    for (section, m) in template.sections.iter().zip(&analysis.sections) {
        if section.guidance_only {
            continue;
        }
        total += 1;
        if m.status != SectionStatus::Missing {
            present += 1;
        }
    }
    (present, total)
}

/// A pretty-printed JSON document (`serde_json::to_string_pretty`) with one array written
/// element by element, byte for byte what printing the whole document at once gives.
///
/// The document is printed once with the array empty (`[]`, found by the text of the
/// line it is on, `marker`); the text before the `]` is written first, then each element
/// printed alone and indented to its depth, then the rest. The document's keys are sorted
/// (serde_json's map), so everything before the array is known at the start.
pub(crate) struct StreamedArray {
    /// The indentation of the array's elements.
    indent: String,
    /// The indentation of the line with the array's closing bracket.
    close_indent: String,
    elements: usize,
}

impl StreamedArray {
    /// Writes the document's text up to the array's first element. `marker` is the
    /// pretty text of the array's line when the array is empty, e.g. `"results": []`.
    pub(crate) fn begin(
        out: &mut impl Write,
        document: &serde_json::Value,
        marker: &str,
    ) -> std::io::Result<StreamedArray> {
        let text = serde_json::to_string_pretty(document).map_err(std::io::Error::other)?;
        let (head, _) = split_at_marker(&text, marker)?;
        out.write_all(head.as_bytes())?;
        let line_start = head.rfind('\n').map_or(0, |i| i + 1);
        let close_indent: String = head[line_start..]
            .chars()
            .take_while(|&c| c == ' ')
            .collect();
        Ok(StreamedArray {
            indent: format!("{close_indent}  "),
            close_indent,
            elements: 0,
        })
    }

    /// Writes one element, given as printed alone by `serde_json::to_string_pretty`.
    pub(crate) fn element(&mut self, out: &mut impl Write, pretty: &str) -> std::io::Result<()> {
        out.write_all(if self.elements == 0 { b"\n" } else { b",\n" })?;
        self.elements += 1;
        // A JSON string never holds a raw line break, so every one is between tokens.
        for (i, line) in pretty.split('\n').enumerate() {
            if i > 0 {
                out.write_all(b"\n")?;
            }
            out.write_all(self.indent.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
        Ok(())
    }

    /// Closes the array and writes the rest of `document` (printed with the array empty,
    /// as given to [`StreamedArray::begin`] or with later parts filled in) and a line end.
    pub(crate) fn finish(
        self,
        out: &mut impl Write,
        document: &serde_json::Value,
        marker: &str,
    ) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(document).map_err(std::io::Error::other)?;
        let (_, tail) = split_at_marker(&text, marker)?;
        if self.elements > 0 {
            out.write_all(b"\n")?;
            out.write_all(self.close_indent.as_bytes())?;
        }
        out.write_all(tail.as_bytes())?;
        out.write_all(b"\n")
    }
}

/// `text` split inside the `[]` of the first occurrence of `marker` (which ends in `[]`).
fn split_at_marker<'t>(text: &'t str, marker: &str) -> std::io::Result<(&'t str, &'t str)> {
    let at = text
        .find(marker)
        .ok_or_else(|| std::io::Error::other("report layout: array not found"))?;
    Ok(text.split_at(at + marker.len() - 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Streams `items` into `document` at `key` and compares with printing it whole.
    fn streamed(document: serde_json::Value, items: &[serde_json::Value]) {
        let marker = "\"items\": []";
        let mut out = Vec::new();
        let mut array = StreamedArray::begin(&mut out, &document, marker).unwrap();
        for item in items {
            let pretty = serde_json::to_string_pretty(item).unwrap();
            array.element(&mut out, &pretty).unwrap();
        }
        array.finish(&mut out, &document, marker).unwrap();
        let mut whole = document.clone();
        whole["runs"][0]["items"] = json!(items);
        let expected = serde_json::to_string_pretty(&whole).unwrap() + "\n";
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn a_streamed_array_prints_as_the_whole_document() {
        let document = json!({"a": 1, "runs": [{"items": [], "z": {"b": [1, 2]}}], "v": "x"});
        streamed(document.clone(), &[]);
        streamed(
            document.clone(),
            &[json!({"k": "line\nbreak", "n": [1, {"m": []}]})],
        );
        streamed(document, &[json!(1), json!("two"), json!({"three": [3]})]);
    }
}
