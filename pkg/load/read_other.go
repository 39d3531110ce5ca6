//go:build !unix

package load

import "os"

// readLimited reads a whole file of at most max bytes: one open, one
// fstat, reads into a buffer of the file's size.
func readLimited(path string, max int64) ([]byte, error) {
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
	if fi.Size() > max {
		return nil, &tooLargeError{fi.Size(), max}
	}
	return readAllSized(fh.Read, fi.Size(), max)
}

// oNonblock: no such flag here.
const oNonblock = 0
