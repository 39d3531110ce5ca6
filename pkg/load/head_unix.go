//go:build unix

package load

import (
	"os"
	"syscall"
)

// readHead reads at most n bytes from the start of a file into buf
// (grown when the file fills it), with plain system calls: open
// non-blocking, read (once for a file smaller than buf), close. No fstat: a folder search only calls it on
// entries the folder listing says are regular files (or links it
// confined), and whatever it opens, a FIFO or device cannot make it hang
// (non-blocking) or read more than n bytes.
func readHead(path string, buf []byte, n int) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf = buf[:0]
	for len(buf) < n {
		if len(buf) == cap(buf) {
			buf = append(buf, make([]byte, min(max(cap(buf), 4096), n-len(buf)))...)[:len(buf)]
		}
		want := min(cap(buf), n) - len(buf)
		m, err := syscall.Read(fd, buf[len(buf):len(buf)+want])
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EISDIR:
			return nil, errIsDir
		case err == syscall.EAGAIN:
			return nil, errNotRegular // a FIFO or socket with nothing to read
		case err != nil:
			return nil, &os.PathError{Op: "read", Path: path, Err: err}
		case m == 0:
			return buf, nil
		}
		buf = buf[:len(buf)+m]
		if m < want {
			// A regular file reads short only at its end: no read to see
			// the end (a third of the system calls on small files).
			return buf, nil
		}
	}
	return buf, nil
}
