//go:build !unix

package load

// readLimited reads a whole file of at most max bytes: one open, one
// fstat, reads into a buffer of the file's size.
func readLimited(path string, max int64) ([]byte, error) {
	fh, fi, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	if fi.Size() > max {
		return nil, &tooLargeError{fi.Size(), max}
	}
	return readAllSized(fh.Read, fi.Size(), max)
}

// oNonblock: no such flag here.
const oNonblock = 0
