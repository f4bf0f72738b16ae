//! Writing the outputs of a run: a failed save leaves no temporary file
//! behind, each target has a temporary file of its own, and an error names
//! the file it is about.

use std::path::{Path, PathBuf};

use ch07_fashion_mnist::Split;
use ch09_training::run::{compiled_reference_model, draw_figures, write_json};
use ch09_training::weights::{part_path, write_atomically};
use ch09_training::{History, save_weights};
use ndarray::{Array1, Array2, Array3};

/// An empty folder of its own for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("saving-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn saving_onto_a_folder_fails_and_leaves_nothing_behind() {
    let dir = scratch("onto-folder");
    std::fs::create_dir(dir.join("m.safetensors")).unwrap();
    let model = compiled_reference_model(1).unwrap();
    let err = save_weights(&model, dir.join("m.safetensors")).unwrap_err();
    assert!(err.to_string().contains("m.safetensors"), "{err}");
    assert_eq!(names(&dir), ["m.safetensors"]);
    assert_eq!(names(&dir.join("m.safetensors")), Vec::<String>::new());
    let err = write_json(&dir.join("m.safetensors"), &[1, 2, 3]).unwrap_err();
    assert!(err.to_string().contains("m.safetensors"), "{err}");
    assert_eq!(names(&dir), ["m.safetensors"]);
}

#[test]
fn a_write_that_fails_half_way_removes_its_temporary_file_and_keeps_the_old_one() {
    let dir = scratch("half-way");
    let target = dir.join("m.bin");
    std::fs::write(&target, "the previous contents").unwrap();
    let err = write_atomically(&target, |file| {
        use std::io::Write;
        file.write_all(b"half of the new")?;
        Err(std::io::Error::other("the disk is full"))
    })
    .unwrap_err();
    assert_eq!(err.to_string(), "the disk is full");
    assert_eq!(names(&dir), ["m.bin"]);
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the previous contents"
    );
    // A write that succeeds replaces the file and leaves only it.
    write_atomically(&target, |file| {
        use std::io::Write;
        file.write_all(b"new")
    })
    .unwrap();
    assert_eq!(names(&dir), ["m.bin"]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
}

#[test]
fn each_target_has_a_temporary_file_of_its_own() {
    let pid = std::process::id();
    let a = part_path(Path::new("out/m.safetensors"));
    let b = part_path(Path::new("out/m.bin"));
    assert_eq!(a, PathBuf::from(format!("out/m.safetensors.{pid}.part")));
    assert_eq!(b, PathBuf::from(format!("out/m.bin.{pid}.part")));
    assert_ne!(a, b);
}

#[test]
fn a_figure_that_cannot_be_written_is_named_in_the_error() {
    let dir = scratch("figure");
    std::fs::write(dir.join("plain"), "a file, not a folder").unwrap();
    let figures = dir.join("plain/figures");
    let test = Split::new(Array3::zeros((2, 28, 28)), Array1::from(vec![0, 1])).unwrap();
    let counts = Array2::<usize>::zeros((10, 10));
    let history = History {
        epochs: Vec::new(),
        stopped: None,
    };
    let err = draw_figures(&figures, &history, &counts, &test, &[0, 1]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains(&figures.join("learning-curves.svg").display().to_string()),
        "{text}"
    );
}
