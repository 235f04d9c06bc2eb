//! The checks the fuzz targets run (see `harness`), kept apart from libFuzzer so that
//! `tests/fuzz_props.rs` runs them as property tests.

pub mod harness;
