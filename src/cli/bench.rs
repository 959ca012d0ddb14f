//! `footprints bench PATH`: times loading a boundary file and the app's frames over a scripted
//! camera path, without a window.

use super::bench_edits::percentile;
use std::path::Path;
use std::time::Instant;

use geo::Coord;
use serde_json::json;

use crate::analysis::ms_since;
use crate::geo_util::{lon_lat_to_world, world_to_lon_lat};
use crate::load::{self, LoadError, Progress};
use crate::model::LayerSource;
use crate::ui::app::{FootprintsApp, Startup};
use crate::ui::map::PreparedLayer;

/// What the benchmark measured.
#[derive(Clone, Debug, Default)]
pub struct BenchReport {
    pub features: usize,
    pub vertices: usize,
    pub bytes: u64,
    pub read_ms: f64,
    pub parse_ms: f64,
    pub build_ms: f64,
    pub prepare: crate::analysis::PrepareTimings,
    /// Everything from opening the file to a layer ready to draw.
    pub load_ms: f64,
    /// Zoom each level of detail is drawn below, and its vertices.
    pub levels: Vec<(f64, usize)>,
    /// CPU time of each measured frame (layout, map drawing, tessellation), in ms.
    pub frames_ms: Vec<f64>,
    /// CPU time of the first frame with the layer (text laid out for the first time).
    pub first_frame_ms: f64,
    /// Time of one point lookup (what a hover or a click costs), in µs: median and worst.
    pub hit_test_p50_us: f64,
    pub hit_test_max_us: f64,
    pub peak_rss_mb: Option<f64>,
}

/// CPU time used by this thread, in ms (wall time where the platform cannot say).
fn thread_cpu_ms() -> f64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec into the valid, exclusive pointer given.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
        if ok {
            return ts.tv_sec as f64 * 1000.0 + ts.tv_nsec as f64 / 1e6;
        }
    }
    crate::started().elapsed().as_secs_f64() * 1000.0
}

/// Peak resident memory of this process, in MB (Linux only).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A point on the camera path: where, and how close.
#[derive(Clone, Copy, Debug)]
struct Camera {
    centre: Coord<f64>,
    zoom: f64,
}

/// England → Birmingham → street level → a pan across the city centre → back to England.
fn camera_path(frames_per_leg: usize) -> Vec<Camera> {
    let england = Camera {
        centre: Coord { x: -1.6, y: 52.9 },
        zoom: 6.3,
    };
    let city = Camera {
        centre: Coord { x: -1.89, y: 52.48 },
        zoom: 11.0,
    };
    let street = Camera {
        centre: Coord {
            x: -1.898,
            y: 52.479,
        },
        zoom: 16.0,
    };
    let east = Camera {
        centre: Coord { x: -1.86, y: 52.47 },
        zoom: 15.0,
    };
    let west = Camera {
        centre: Coord { x: -1.94, y: 52.49 },
        zoom: 14.0,
    };
    let legs = [
        (england, city),
        (city, street),
        (street, east),
        (east, west),
        (west, city),
        (city, england),
    ];
    let mut path = Vec::new();
    for (from, to) in legs {
        let (a, b) = (
            lon_lat_to_world(from.centre.x, from.centre.y),
            lon_lat_to_world(to.centre.x, to.centre.y),
        );
        for i in 0..frames_per_leg {
            let t = i as f64 / frames_per_leg as f64;
            let s = t * t * (3.0 - 2.0 * t);
            let world = Coord {
                x: a.x + (b.x - a.x) * s,
                y: a.y + (b.y - a.y) * s,
            };
            path.push(Camera {
                centre: world_to_lon_lat(world),
                zoom: from.zoom + (to.zoom - from.zoom) * s,
            });
        }
    }
    path.push(england);
    path
}

/// Runs the benchmark; `frames_per_leg` sets the length of the camera path (six legs).
pub fn run(path: &Path, frames_per_leg: usize) -> Result<BenchReport, LoadError> {
    let mut report = BenchReport::default();
    let prepared = load_timed(path, &mut report)?;
    hit_tests(&prepared, &mut report);

    // Frames: the real app's UI pass at 1280×800, with the pointer moving over the map.
    let ctx = egui::Context::default();
    let mut app = FootprintsApp::new(
        &ctx,
        Startup {
            paths: Vec::new(),
            settings_path: None,
        },
    );
    app.open_prepared(prepared, path);
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    let mut time = 0.0;
    let mut frame = |app: &mut FootprintsApp, camera: Camera, pointer: egui::Pos2| -> f64 {
        app.set_view(camera.centre, camera.zoom);
        time += 1.0 / 60.0;
        let input = egui::RawInput {
            screen_rect: Some(screen),
            time: Some(time),
            events: vec![egui::Event::PointerMoved(pointer)],
            ..Default::default()
        };
        let t = thread_cpu_ms();
        let mut output = ctx.run_ui(input, |ui| app.show(ui));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        // No GPU to upload the font atlas to.
        output.textures_delta.clear();
        std::hint::black_box(primitives);
        thread_cpu_ms() - t
    };
    let path = camera_path(frames_per_leg);
    let centre = screen.center() + egui::vec2(140.0, 20.0);
    report.first_frame_ms = frame(&mut app, path[0], centre);
    // Let the postcode list finish loading in the background so it does not share the CPU.
    app.want_postcodes(&ctx);
    let waiting = Instant::now();
    while !app.postcodes_ready() && waiting.elapsed().as_secs() < 20 {
        frame(&mut app, path[0], centre);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    for (i, camera) in path.iter().enumerate() {
        let angle = i as f32 * 0.3;
        let pointer = centre + egui::vec2(angle.cos(), angle.sin()) * 60.0;
        report.frames_ms.push(frame(&mut app, *camera, pointer));
    }
    report.peak_rss_mb = peak_rss_mb();
    Ok(report)
}

/// Reads, parses, builds and prepares the layer at `path` as the app does, timing each step.
fn load_timed(path: &Path, report: &mut BenchReport) -> Result<PreparedLayer, LoadError> {
    let progress = Progress::default();
    let started = Instant::now();
    let t = Instant::now();
    let bytes = load::read_file(path, &progress, load::APP_MEMORY_PER_BYTE)?;
    report.read_ms = ms_since(t);
    report.bytes = bytes.len() as u64;
    let source = LayerSource::File(path.to_owned());
    let t = Instant::now();
    let document = load::parse_bytes(&bytes, &source, &progress)?;
    report.parse_ms = ms_since(t);
    drop(bytes);
    let t = Instant::now();
    let title = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let layer = load::build_layer(document, source, title, None)?;
    report.build_ms = ms_since(t);
    report.features = layer.footprints.len();
    report.vertices = layer
        .footprints
        .iter()
        .flat_map(|f| &f.geometry.0)
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(|r| r.0.len())
        .sum();
    let labels = layer.footprints.iter().map(|f| f.code.clone()).collect();
    let prepared = PreparedLayer::new(layer, labels);
    report.load_ms = ms_since(started);
    report.prepare = prepared.timings.clone();
    report.levels = prepared.levels_summary();
    Ok(prepared)
}

/// Hit tests: the same lookup as hover and click, at 200 × 200 points spread over the layer.
fn hit_tests(prepared: &PreparedLayer, report: &mut BenchReport) {
    let Some(bbox) = prepared.layer.bbox() else {
        return;
    };
    let mut times = Vec::new();
    let steps = 200;
    for i in 0..steps {
        for j in 0..steps {
            let point = Coord {
                x: bbox.min().x + bbox.width() * (i as f64 + 0.5) / steps as f64,
                y: bbox.min().y + bbox.height() * (j as f64 + 0.5) / steps as f64,
            };
            let t = Instant::now();
            std::hint::black_box(prepared.locator.locate(point));
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
    }
    times.sort_by(f64::total_cmp);
    report.hit_test_p50_us = percentile(&times, 0.5);
    report.hit_test_max_us = times.last().copied().unwrap_or(0.0);
}

impl BenchReport {
    fn sorted_frames(&self) -> Vec<f64> {
        let mut frames = self.frames_ms.clone();
        frames.sort_by(f64::total_cmp);
        frames
    }

    /// The figures for a person.
    pub fn text(&self) -> String {
        let frames = self.sorted_frames();
        let p = &self.prepare;
        let mut out = String::new();
        out.push_str(&format!(
            "Loaded {} areas, {} vertices ({:.1} MB) in {:.0} ms:\n",
            crate::geo_util::thousands(self.features as u64),
            crate::geo_util::thousands(self.vertices as u64),
            self.bytes as f64 / 1e6,
            self.load_ms
        ));
        out.push_str(&format!("  read              {:>7.0} ms\n", self.read_ms));
        out.push_str(&format!("  parse             {:>7.0} ms\n", self.parse_ms));
        out.push_str(&format!("  build layer       {:>7.0} ms\n", self.build_ms));
        out.push_str(&format!("  topology (arcs)   {:>7.0} ms\n", p.topology_ms));
        out.push_str(&format!("  levels of detail  {:>7.0} ms\n", p.simplify_ms));
        out.push_str(&format!(
            "  neighbours        {:>7.0} ms\n",
            p.neighbours_ms
        ));
        out.push_str(&format!("  label anchors     {:>7.0} ms\n", p.anchors_ms));
        out.push_str(&format!("  meshes            {:>7.0} ms\n", p.meshes_ms));
        out.push_str(&format!("  spatial index     {:>7.0} ms\n", p.index_ms));
        out.push_str("Levels of detail (drawn below zoom: boundary vertices):\n");
        for (zoom, vertices) in &self.levels {
            let zoom = if zoom.is_finite() {
                format!("{zoom:.1}")
            } else {
                "any".to_string()
            };
            out.push_str(&format!(
                "  {zoom:>4}: {}\n",
                crate::geo_util::thousands(*vertices as u64)
            ));
        }
        out.push_str(&format!(
            "Hit test: median {:.1} µs, worst {:.1} µs\n",
            self.hit_test_p50_us, self.hit_test_max_us
        ));
        out.push_str(&format!(
            "Frames: {} over England → Birmingham → street level → pan → England; CPU per frame median {:.2} ms, p95 {:.2} ms, worst {:.2} ms (first frame {:.1} ms)\n",
            frames.len(),
            percentile(&frames, 0.5),
            percentile(&frames, 0.95),
            frames.last().copied().unwrap_or(0.0),
            self.first_frame_ms
        ));
        let legs = [
            "England to Birmingham",
            "Birmingham to street level",
            "pan east",
            "pan west, zooming out",
            "back to the city",
            "back to England",
        ];
        let per_leg = self.frames_ms.len() / legs.len();
        if per_leg > 0 {
            for (leg, frames) in legs.iter().zip(self.frames_ms.chunks(per_leg)) {
                let mut frames = frames.to_vec();
                frames.sort_by(f64::total_cmp);
                out.push_str(&format!(
                    "  {leg:<28} median {:.2} ms, p95 {:.2} ms\n",
                    percentile(&frames, 0.5),
                    percentile(&frames, 0.95)
                ));
            }
        }
        if let Some(rss) = self.peak_rss_mb {
            out.push_str(&format!("Peak memory: {rss:.0} MB\n"));
        }
        out
    }

    /// The figures as one JSON object.
    pub fn json(&self) -> serde_json::Value {
        let frames = self.sorted_frames();
        let round = |v: f64| (v * 100.0).round() / 100.0;
        let p = &self.prepare;
        json!({
            "features": self.features,
            "vertices": self.vertices,
            "bytes": self.bytes,
            "load_ms": round(self.load_ms),
            "read_ms": round(self.read_ms),
            "parse_ms": round(self.parse_ms),
            "build_ms": round(self.build_ms),
            "topology_ms": round(p.topology_ms),
            "lod_ms": round(p.simplify_ms),
            "neighbours_ms": round(p.neighbours_ms),
            "anchors_ms": round(p.anchors_ms),
            "meshes_ms": round(p.meshes_ms),
            "index_ms": round(p.index_ms),
            "levels": self.levels.iter().map(|(z, v)| json!({
                "below_zoom": if z.is_finite() { json!(z) } else { json!(null) },
                "vertices": v,
            })).collect::<Vec<_>>(),
            "hit_test_p50_us": round(self.hit_test_p50_us),
            "hit_test_max_us": round(self.hit_test_max_us),
            "frames": frames.len(),
            "first_frame_ms": round(self.first_frame_ms),
            "frame_p50_ms": round(percentile(&frames, 0.5)),
            "frame_p95_ms": round(percentile(&frames, 0.95)),
            "frame_max_ms": round(frames.last().copied().unwrap_or(0.0)),
            "peak_rss_mb": self.peak_rss_mb.map(|v| v.round()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_path_goes_from_england_to_street_level_and_back() {
        let path = camera_path(10);
        assert_eq!(path.len(), 61);
        let zooms: Vec<f64> = path.iter().map(|c| c.zoom).collect();
        assert_eq!(zooms[0], 6.3);
        assert_eq!(*zooms.last().unwrap(), 6.3);
        assert!(zooms.iter().any(|&z| z >= 15.9), "reaches street level");
        // Each step is small enough to be one frame of a smooth zoom or pan.
        for pair in path.windows(2) {
            assert!((pair[1].zoom - pair[0].zoom).abs() < 1.0);
        }
    }

    #[test]
    fn percentiles_pick_from_the_sorted_list() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 51.0);
        assert_eq!(percentile(&v, 0.95), 95.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
