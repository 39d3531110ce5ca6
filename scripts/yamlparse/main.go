// Command yamlparse times yaml.v3's bare parse of a catalog tree: every
// .yaml and .yml file under the folders given is read and decoded,
// document by document, into yaml.Node trees, on all cores (as catalint
// reads files), and nothing else is done. scripts/bench-check.sh runs it
// beside catalint so that the fast reader is measured against it:
//
//	go run ./scripts/yamlparse DIR...
//
// It prints the files, documents and bytes read and the wall time.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: yamlparse DIR...")
		os.Exit(2)
	}
	start := time.Now()
	paths := make(chan string, 256)
	var files, docs, size, failed atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range paths {
				src, err := os.ReadFile(p)
				if err != nil {
					failed.Add(1)
					continue
				}
				files.Add(1)
				size.Add(int64(len(src)))
				dec := yaml.NewDecoder(strings.NewReader(string(src)))
				for {
					var n yaml.Node
					if err := dec.Decode(&n); err != nil {
						if !errors.Is(err, io.EOF) {
							failed.Add(1)
						}
						break
					}
					docs.Add(1)
				}
			}
		}()
	}
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if ext := filepath.Ext(p); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
				paths <- p
			}
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "yamlparse:", err)
			os.Exit(1)
		}
	}
	close(paths)
	wg.Wait()
	fmt.Printf("yaml.v3 bare parse: %d files, %d documents, %d bytes, %d failed, wall %.3fs\n",
		files.Load(), docs.Load(), size.Load(), failed.Load(), time.Since(start).Seconds())
}
