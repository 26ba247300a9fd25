package chart

import (
	"fmt"
	"os"
	"syscall"
	"unsafe"
)

// dropPages drops the whole memory pages inside b from the process
// (MADV_DONTNEED). b is embedded data or a read-only private mapping of a
// font file, which nothing writes, so its pages come back unchanged from
// the file when next read. Pages b shares with other variables are kept.
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

// mapFile maps a font file read-only: its pages are read when a chart
// draws a glyph, and dropPages gives them back. A font is not expected to
// change while the bot runs (a package upgrade replaces the file, which
// leaves this mapping on the old one).
func mapFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() || st.Size() < 12 || st.Size() > maxFontBytes {
		return nil, fmt.Errorf("not a font file (%d bytes)", st.Size())
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("map: %w", err)
	}
	return data, nil
}

// unmapFile releases a mapping of mapFile.
func unmapFile(b []byte) { _ = syscall.Munmap(b) }

// allocBuffer makes a buffer outside the Go heap, so a font copied for a
// chart is given back to the system as soon as the chart is drawn.
func allocBuffer(n int) ([]byte, error) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("allocate %d bytes: %w", n, err)
	}
	return b, nil
}

// freeBuffer releases a buffer of allocBuffer.
func freeBuffer(b []byte) { _ = syscall.Munmap(b) }
