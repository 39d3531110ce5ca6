package apispec

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/catalint-dev/catalint/pkg/load"
)

// confine makes sure path, and what its symlinks point at, stays inside
// the root. It returns the real path.
func (c *checker) confine(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	real, err := load.Confine(c.root, abs)
	var out *load.OutsideError
	switch {
	case errors.As(err, &out) && out.Real != "":
		return "", fmt.Errorf("it is a symlink to %s, outside the repository (root %s): refused", out.Real, c.root)
	case errors.As(err, &out):
		return "", fmt.Errorf("it is outside the repository (root %s): refused", c.root)
	case os.IsNotExist(err):
		return "", fmt.Errorf("no such file")
	case err != nil:
		return "", fmt.Errorf("%s", cause(err))
	}
	return real, nil
}

// readFile reads a confined file the way catalog files are read: regular
// files only, opened non-blocking (a FIFO or device cannot hang the run or
// fill memory), at most MaxFileSize bytes.
func readFile(real string) ([]byte, error) {
	return load.ReadRegular(real, MaxFileSize)
}

// cause strips the operation and path from an os error.
func cause(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	if le, ok := err.(*os.LinkError); ok {
		return le.Err.Error()
	}
	return err.Error()
}
