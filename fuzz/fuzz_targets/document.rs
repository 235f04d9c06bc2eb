//! Any bytes as a markdown document: parse, full analysis, every editor feature and every
//! code action applied (see `harness::check_document`).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    reframe_fuzz::harness::check_document(data);
});
