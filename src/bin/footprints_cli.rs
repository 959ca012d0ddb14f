//! `footprints-cli`: the command line for a terminal on Windows. `footprints.exe` is a GUI
//! program (no console window opens with the map), and cmd and PowerShell do not wait for a GUI
//! program, so its answers would land after the next prompt. This console program runs the
//! `footprints` beside it with the same arguments, its output going to this terminal, waits for
//! it and exits with its exit code. On Windows the child is tied to this process (a job object):
//! Ctrl+C here stops it too. Elsewhere it simply does the same, so it is tested on Linux.

use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let app = match std::env::current_exe() {
        Ok(launcher) => {
            launcher.with_file_name(format!("footprints{}", std::env::consts::EXE_SUFFIX))
        }
        Err(err) => {
            eprintln!("footprints-cli: cannot tell where it was started from: {err}");
            return ExitCode::from(2);
        }
    };
    let mut child = match Command::new(&app).args(std::env::args_os().skip(1)).spawn() {
        Ok(child) => child,
        Err(err) => {
            eprintln!(
                "footprints-cli: cannot start footprints ({err}); it belongs in the same folder: {}",
                app.display()
            );
            return ExitCode::from(2);
        }
    };
    let _job = job::stop_with_this_process(&child);
    match child.wait() {
        Ok(status) => match status.code() {
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::from(1),
        },
        Err(err) => {
            eprintln!("footprints-cli: lost footprints while waiting for it: {err}");
            ExitCode::from(2)
        }
    }
}

#[cfg(windows)]
mod job {
    //! A Windows job object that ends the child when this process ends (Ctrl+C, closing the
    //! terminal): the child is a GUI program, not attached to the console, so the console's
    //! Ctrl+C would not reach it.
    use std::ffi::c_void;
    use std::os::windows::io::AsRawHandle;

    type Handle = *mut c_void;
    const JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS: i32 = 9;
    const JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: u32 = 0x2000;

    #[repr(C)]
    #[derive(Default)]
    struct BasicLimits {
        per_process_user_time_limit: i64,
        per_job_user_time_limit: i64,
        limit_flags: u32,
        minimum_working_set_size: usize,
        maximum_working_set_size: usize,
        active_process_limit: u32,
        affinity: usize,
        priority_class: u32,
        scheduling_class: u32,
    }

    #[repr(C)]
    #[derive(Default)]
    struct ExtendedLimits {
        basic: BasicLimits,
        io_counters: [u64; 6],
        process_memory_limit: usize,
        job_memory_limit: usize,
        peak_process_memory_used: usize,
        peak_job_memory_used: usize,
    }

    unsafe extern "system" {
        fn CreateJobObjectW(attributes: *mut c_void, name: *const u16) -> Handle;
        fn SetInformationJobObject(job: Handle, class: i32, info: *const c_void, len: u32) -> i32;
        fn AssignProcessToJobObject(job: Handle, process: Handle) -> i32;
    }

    /// The job, held open while the child runs (closed when this process ends).
    pub struct Job(#[allow(dead_code)] Handle);

    /// Puts the child in a job that kills it when this process ends; `None` if Windows refuses
    /// (the child then simply outlives a Ctrl+C, as without the job).
    pub fn stop_with_this_process(child: &std::process::Child) -> Option<Job> {
        let limits = ExtendedLimits {
            basic: BasicLimits {
                limit_flags: JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
                ..BasicLimits::default()
            },
            ..ExtendedLimits::default()
        };
        // SAFETY: plain Win32 calls; `limits` outlives the call that reads it, and its layout
        // is JOBOBJECT_EXTENDED_LIMIT_INFORMATION's.
        unsafe {
            let job = CreateJobObjectW(std::ptr::null_mut(), std::ptr::null());
            if job.is_null() {
                return None;
            }
            let size = std::mem::size_of::<ExtendedLimits>() as u32;
            let info = (&limits as *const ExtendedLimits).cast::<c_void>();
            if SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, info, size)
                == 0
            {
                return None;
            }
            if AssignProcessToJobObject(job, child.as_raw_handle()) == 0 {
                return None;
            }
            Some(Job(job))
        }
    }
}

#[cfg(not(windows))]
mod job {
    //! Elsewhere the child is in this terminal's process group: Ctrl+C reaches it directly.

    /// Nothing to hold.
    pub struct Job;

    /// Nothing to do outside Windows.
    pub fn stop_with_this_process(_child: &std::process::Child) -> Option<Job> {
        Some(Job)
    }
}
