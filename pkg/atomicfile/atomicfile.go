// Package atomicfile replaces files whole: what a run writes (a snapshot,
// a report, a badge, a history, a --format file) appears complete or not at
// all, so a run killed while writing leaves the previous file as it was.
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with what write produces: into a temporary file in
// the same folder, synced and closed, then renamed over path, which until
// then is untouched. The new file keeps the mode of the file it replaces,
// or gets perm. A symlink at path is followed (its target is replaced). When
// path exists and is not a regular file (/dev/stdout, a FIFO, a terminal),
// write goes straight to it.
func Write(path string, perm fs.FileMode, write func(io.Writer) error) (err error) {
	target := path
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return writeInPlace(target, perm, write)
		}
		perm = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// WriteFile is Write of b.
func WriteFile(path string, b []byte, perm fs.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func writeInPlace(path string, perm fs.FileMode, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	err = write(f)
	return errors.Join(err, f.Close())
}
