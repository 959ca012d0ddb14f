//! The modules depend one way: no import cycle between the crate's top-level modules (read
//! from every `crate::` path in `src/`), and nothing of the domain imports the user interface
//! or the command line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its files name through `crate::` paths.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let module = name.strip_suffix(".rs").unwrap_or(&name).to_string();
            (e.path().is_dir() || name.ends_with(".rs")).then_some(module)
        })
        .filter(|m| !["lib", "main", "bin"].contains(&m.as_str()))
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(&src).unwrap();
            let first = relative.components().next().unwrap().as_os_str();
            let first = first.to_string_lossy();
            let module = first.strip_suffix(".rs").unwrap_or(&first).to_string();
            if !modules.contains(&module) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let edges = graph.entry(module.clone()).or_default();
            for (at, _) in text.match_indices("crate::") {
                let named: String = text[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if named != module && modules.contains(&named) {
                    edges.insert(named);
                }
            }
        }
    }
    graph
}

/// Every cycle's modules, found by depth-first search from each module.
fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.sort();
                    found.insert(cycle);
                } else if !path.contains(next) && next > start {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next.clone(), longer));
                }
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn the_modules_import_one_way() {
    let graph = module_graph();
    assert!(graph.len() > 20, "read the modules: {:?}", graph.keys());
    assert!(graph["facts"].contains("blocks"), "the graph is read");
    assert_eq!(cycles(&graph), Vec::<Vec<String>>::new(), "import cycles");
    for (module, imports) in &graph {
        if module == "ui" || module == "cli" {
            continue;
        }
        for upward in ["ui", "cli"] {
            assert!(!imports.contains(upward), "{module} imports {upward}");
        }
    }
    // Analysis comes before rendering; atomic writes and memory hints stand alone, and the
    // embedded files need only the memory hints (to let go of what they unpacked from).
    assert!(
        !graph["analysis"].contains("render"),
        "analysis imports render"
    );
    assert_eq!(graph["memory"], BTreeSet::new());
    assert_eq!(
        graph["embedded"],
        BTreeSet::from(["memory".to_string()]),
        "embedded imports more than memory"
    );
    assert_eq!(graph["fs"], BTreeSet::new());
}

#[test]
fn a_cycle_is_found() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec!["a"]),
    ]
    .into_iter()
    .map(|(m, to)| (m.to_string(), to.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(cycles(&graph), vec![vec!["a", "b", "c"]]);
}
