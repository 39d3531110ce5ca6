//go:build unix

package load

import (
	"io"
	"os"
	"syscall"
)

// readLimited reads a whole file of at most max bytes with plain system
// calls: open, fstat, read, close. os.Open would add three or four more
// per file (non-blocking mode and the poller, which regular files do not
// use), a good share of the time of a check over thousands of small files.
// The file is opened non-blocking so that a FIFO or device does not hang
// the run; only regular files are read.
func readLimited(path string, max int64) ([]byte, error) {
	fd, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFREG:
	case syscall.S_IFDIR:
		return nil, errIsDir
	default:
		return nil, errNotRegular
	}
	if st.Size > max {
		return nil, &tooLargeError{st.Size, max}
	}
	return readAllSized(func(b []byte) (int, error) {
		for {
			n, err := syscall.Read(fd, b)
			switch {
			case err == syscall.EINTR:
				continue
			case err != nil:
				return 0, &os.PathError{Op: "read", Path: path, Err: err}
			case n == 0 && len(b) > 0:
				return 0, io.EOF
			}
			return n, nil
		}
	}, st.Size, max)
}

// oNonblock opens a FIFO without waiting for a writer.
const oNonblock = syscall.O_NONBLOCK
