//go:build !linux

package chart

import (
	"fmt"
	"os"
)

func dropPages([]byte) {}

// mapFile reads a font file (mapping it is done on Linux only).
func mapFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if st.IsDir() || st.Size() < 12 || st.Size() > maxFontBytes {
		return nil, fmt.Errorf("not a font file (%d bytes)", st.Size())
	}
	return os.ReadFile(path)
}

func unmapFile([]byte) {}

func allocBuffer(n int) ([]byte, error) { return make([]byte, n), nil }

func freeBuffer([]byte) {}
