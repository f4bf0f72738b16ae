//! (being written)

/// The command line of this step.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs this step.
pub fn run(_args: &Args) -> Result<(), Box<dyn std::error::Error>> {
    Err("not written yet".into())
}
