//! An empty eframe window on the same renderer as Footprints (the same wgpu options, size and
//! backend order), for measuring Footprints' own memory beside it: `scripts/memory.sh` runs
//! both under Xvfb and takes the difference.

fn main() -> eframe::Result {
    let backends = eframe::wgpu::Backends::from_comma_list(
        &std::env::var("WGPU_BACKEND").unwrap_or_else(|_| "vulkan".into()),
    );
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Empty window")
            .with_inner_size([1280.0, 860.0]),
        wgpu_options: footprints::ui::start::wgpu_options(backends),
        ..Default::default()
    };
    eframe::run_native("Empty window", options, Box::new(|_| Ok(Box::new(Empty))))
}

/// Draws an empty panel every frame.
struct Empty;

impl eframe::App for Empty {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |_| {});
    }
}
