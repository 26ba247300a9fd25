package chart

import (
	"os"
	"syscall"
	"unsafe"
)

// dropPages drops the whole memory pages inside b from the process
// (MADV_DONTNEED). b is embedded data that nothing writes, in a private
// mapping of the executable, so its pages come back unchanged from the
// file when next read. Pages b shares with other variables are kept.
func dropPages(b []byte) {
	if len(b) == 0 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + page - 1) &^ (page - 1)
	hi := (start + uintptr(len(b))) &^ (page - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(b[lo-start:hi-start], syscall.MADV_DONTNEED) // only memory is at stake
}
