package load

import (
	"errors"
	"os"
)

// ReadRegular reads a whole file of at most max bytes the way catalog files
// are read: opened non-blocking, so that a FIFO or a device (/dev/zero)
// neither hangs nor fills memory, and only when it is a regular file. Its
// errors are sentences without the path ("it is a directory", "it is not a
// regular file (a device, FIFO or socket)", "it is N bytes, over the limit
// of M bytes", "no such file", "permission denied"), to follow a name.
func ReadRegular(path string, max int64) ([]byte, error) {
	b, err := readLimited(path, max)
	if err == nil {
		return b, nil
	}
	var big *tooLargeError
	switch {
	case errors.As(err, &big), errors.Is(err, errIsDir), errors.Is(err, errNotRegular):
		return nil, err
	case os.IsNotExist(err):
		return nil, &readError{"no such file", err}
	}
	return nil, &readError{cause(err), err}
}

// ReadConfined is ReadRegular of a file that must lie inside root, it and
// what its symlinks point at (Confine): a file outside is refused with an
// *OutsideError and never opened.
func ReadConfined(root, abs string, max int64) ([]byte, error) {
	real, err := Confine(root, abs)
	var out *OutsideError
	switch {
	case errors.As(err, &out):
		return nil, err
	case os.IsNotExist(err):
		return nil, &readError{"no such file", err}
	case err != nil:
		return nil, &readError{cause(err), err}
	}
	return ReadRegular(real, max)
}

// IsTooLarge tells whether err is ReadRegular's refusal of a file over the
// limit.
func IsTooLarge(err error) bool {
	var big *tooLargeError
	return errors.As(err, &big)
}

// readError is a read failure as a sentence, wrapping the os error (so
// that os.IsNotExist and errors.Is still see it).
type readError struct {
	msg string
	err error
}

func (e *readError) Error() string { return e.msg }
func (e *readError) Unwrap() error { return e.err }

// OpenRegular opens a file to stream it, the way ReadRegular reads one:
// non-blocking, so that a FIFO cannot hang the run, and only a regular
// file (a device such as /dev/zero is refused before a byte is read).
// Errors are sentences as ReadRegular's are.
func OpenRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|oNonblock, 0)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, &readError{"no such file", err}
		}
		return nil, &readError{cause(err), err}
	}
	fi, err := f.Stat()
	switch {
	case err != nil:
		f.Close()
		return nil, &readError{cause(err), err}
	case fi.IsDir():
		f.Close()
		return nil, errIsDir
	case !fi.Mode().IsRegular():
		f.Close()
		return nil, errNotRegular
	}
	return f, nil
}
