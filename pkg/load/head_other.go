//go:build !unix

package load

import (
	"io"
	"os"
)

// readHead reads at most n bytes from the start of a regular file into buf
// (grown as needed).
func readHead(path string, buf []byte, n int) ([]byte, error) {
	fh, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
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

// openRegular opens a regular file; a folder is errIsDir, anything else
// that is not a regular file errNotRegular.
func openRegular(path string) (*os.File, os.FileInfo, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := fh.Stat()
	if err == nil && fi.IsDir() {
		err = errIsDir
	} else if err == nil && !fi.Mode().IsRegular() {
		err = errNotRegular
	}
	if err != nil {
		fh.Close()
		return nil, nil, err
	}
	return fh, fi, nil
}
