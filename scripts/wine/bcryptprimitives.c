/* A stand-in for Windows 10's bcryptprimitives.dll, for testing under Debian's Wine 8 only
   (which lacks it): ProcessPrng, which Rust's standard library imports, forwarded to
   RtlGenRandom. Never shipped; scripts/test_windows.sh builds it into the test folder. */
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
