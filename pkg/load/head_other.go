//go:build !unix

package load

import (
	"io"
	"os"
)

// readHead reads at most n bytes from the start of a regular file into buf
// (grown as needed).
func readHead(path string, buf []byte, n int) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, errIsDir
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	size := int(min(fi.Size(), int64(n)))
	if cap(buf) < size {
		buf = make([]byte, size)
	}
	got, err := io.ReadFull(fh, buf[:size])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:got], nil
}
