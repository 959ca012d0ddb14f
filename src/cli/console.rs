//! Windows: the exe is a GUI program (no console window opens with the map), so a subcommand
//! run from a terminal attaches to that terminal's console to print there.

/// Attaches standard output and error to the parent process's console when they are not
/// already going somewhere (a file, a pipe). Does nothing elsewhere, or when started from
/// Explorer (no parent console).
#[cfg(windows)]
pub fn attach_to_parent() {
    use std::ffi::c_void;
    type Handle = *mut c_void;
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
    const STD_ERROR_HANDLE: u32 = -12i32 as u32;
    const GENERIC_READ_WRITE: u32 = 0x8000_0000 | 0x4000_0000;
    const FILE_SHARE_READ_WRITE: u32 = 1 | 2;
    const OPEN_EXISTING: u32 = 3;
    unsafe extern "system" {
        fn AttachConsole(process: u32) -> i32;
        fn GetStdHandle(which: u32) -> Handle;
        fn SetStdHandle(which: u32, handle: Handle) -> i32;
        fn CreateFileW(
            name: *const u16,
            access: u32,
            share: u32,
            security: *mut c_void,
            disposition: u32,
            flags: u32,
            template: Handle,
        ) -> Handle;
    }
    let unset = |which: u32| {
        // SAFETY: GetStdHandle only reads the process's handle table.
        let handle = unsafe { GetStdHandle(which) };
        handle.is_null() || handle as isize == -1
    };
    let streams = [STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];
    if !streams.iter().any(|&which| unset(which)) {
        return;
    }
    // SAFETY: plain Win32 calls with valid arguments; a failure leaves the handles as they were.
    unsafe {
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            return;
        }
        let name: Vec<u16> = "CONOUT$\0".encode_utf16().collect();
        for which in streams.into_iter().filter(|&which| unset(which)) {
            let console = CreateFileW(
                name.as_ptr(),
                GENERIC_READ_WRITE,
                FILE_SHARE_READ_WRITE,
                std::ptr::null_mut(),
                OPEN_EXISTING,
                0,
                std::ptr::null_mut(),
            );
            if !(console.is_null() || console as isize == -1) {
                SetStdHandle(which, console);
            }
        }
    }
}

/// Attaches standard output and error to the parent's console (Windows only).
#[cfg(not(windows))]
pub fn attach_to_parent() {}
