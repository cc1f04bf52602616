#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| nlwire_fuzz::target_bytecode_emit(data));
