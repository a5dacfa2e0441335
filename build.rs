//! Expands the spelling dictionaries (src/review/spelling/dictionaries) into the set of word
//! forms they accept, written as FST maps in OUT_DIR, with the few affix tables the lookup
//! needs (prefix rules, input conversions, break patterns). See src/review/spelling/expand.rs.

#[path = "src/review/spelling/expand.rs"]
#[allow(dead_code)]
mod expand;

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/review/spelling/expand.rs");
    for lang in ["fr", "en"] {
        let dir = "src/review/spelling/dictionaries";
        println!("cargo:rerun-if-changed={dir}/{lang}.aff");
        println!("cargo:rerun-if-changed={dir}/{lang}.dic");
        let aff = std::fs::read_to_string(format!("{dir}/{lang}.aff")).expect("the .aff file");
        let dic = std::fs::read_to_string(format!("{dir}/{lang}.dic")).expect("the .dic file");
        let aff = expand::Aff::parse(&aff);
        let mut forms: Vec<(String, u64)> = expand::expand(&aff, &dic).into_iter().collect();
        forms.sort_unstable();
        let file = std::fs::File::create(out.join(format!("{lang}.fst"))).expect("OUT_DIR");
        let mut map = fst::MapBuilder::new(std::io::BufWriter::new(file)).expect("fst");
        for (form, value) in &forms {
            map.insert(form, *value).expect("sorted, distinct forms");
        }
        map.finish().expect("fst written");
        // The tables, one entry a line, fields separated by tabs.
        let mut tables = String::new();
        for p in &aff.prefixes {
            let bit = aff.prefix_bit(p);
            let _ = writeln!(tables, "P\t{bit}\t{}\t{}\t{}", p.strip, p.add, p.cond_text);
        }
        for (from, to) in &aff.iconv {
            let _ = writeln!(tables, "I\t{from}\t{to}");
        }
        if aff.compounds {
            tables.push_str("C\n");
        }
        for b in &aff.breaks {
            let _ = writeln!(tables, "B\t{b}");
        }
        std::fs::write(out.join(format!("{lang}.tables")), tables).expect("OUT_DIR");
    }
}
