package cli

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/catalint-dev/catalint/pkg/appconfig"
	"github.com/catalint-dev/catalint/pkg/lint"
	"github.com/catalint-dev/catalint/pkg/load"
)

// gitOut runs git in dir and returns its trimmed output.
func gitOut(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(out.String()), nil
}

// extractRev writes the files of a revision into dir with git archive.
func extractRev(ctx context.Context, repo, rev, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "archive", "--format=tar", rev)
	cmd.Dir = repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	tr := tar.NewReader(out)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			cmd.Wait()
			return fmt.Errorf("read git archive: %v", err)
		}
		name := filepath.Join(dir, filepath.FromSlash(h.Name))
		if !strings.HasPrefix(name, filepath.Clean(dir)+string(filepath.Separator)) {
			continue // never write outside the folder
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(name, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
				return err
			}
			f, err := os.Create(name)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			f.Close()
			if err != nil {
				return err
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %v: %s", rev, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// baseline is the result of the same check on another revision.
type baseline struct {
	rev string
	res *lint.Result
	// root is the repository's root; dir where the revision was extracted.
	root, dir string
}

// runBaseline checks the same paths as they were at rev.
func runBaseline(ctx context.Context, p *prepared, paths []string, rev string) (*baseline, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, usageErr("--new-from-rev needs git, which is not on PATH (install it; catalint's container image has it)")
	}
	root, err := gitOut(ctx, ".", "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, usageErr("--new-from-rev needs a git repository: %v", err)
	}
	if _, err := gitOut(ctx, root, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		return nil, usageErr("--new-from-rev %s: no such revision in this clone (a shallow clone must fetch it first, e.g. git fetch --depth=1 origin %s)", rev, rev)
	}
	dir, err := os.MkdirTemp("", "catalint-baseline-*")
	if err != nil {
		return nil, fatalErr(err)
	}
	// A .git marker keeps placeholders and targets confined to the tree.
	if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
		return nil, fatalErr(err)
	}
	if err := extractRev(ctx, root, rev, dir); err != nil {
		os.RemoveAll(dir)
		return nil, fatalErr(err)
	}
	b := &baseline{rev: rev, root: root, dir: dir}
	var old []string
	for _, pth := range orDot(paths) {
		if pth == load.Stdin {
			continue
		}
		abs, err := filepath.Abs(pth)
		if err != nil {
			continue
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		mapped := filepath.Join(dir, rel)
		if strings.ContainsAny(rel, "*?[{") {
			old = append(old, mapped)
		} else if _, err := os.Stat(mapped); err == nil {
			old = append(old, mapped)
		}
	}
	opts := p.opts
	if opts.Registered != nil && len(paths) == 0 {
		// With --app-config: the same registered locations, read from the
		// revision (the app-config and its origins stay today's).
		opts.Registered = mapRegistered(opts.Registered, root, dir)
		old = nil
		for _, r := range opts.Registered {
			old = append(old, r.Files...)
		}
	}
	if len(old) == 0 {
		b.res = &lint.Result{}
		return b, nil
	}
	if len(paths) > 0 || opts.Registered == nil {
		opts.Paths = old
	}
	if opts.Load.Root != "" {
		if abs, err := filepath.Abs(opts.Load.Root); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil {
				opts.Load.Root = filepath.Join(dir, rel)
			}
		}
	}
	res, err := lint.Run(ctx, opts)
	if err != nil {
		var ue *load.UsageError
		if errors.As(err, &ue) {
			// A glob that matched nothing at rev: nothing old.
			b.res = &lint.Result{}
			return b, nil
		}
		return nil, fatalErr(fmt.Errorf("checking %s for the baseline: %w", rev, err))
	}
	b.res = res
	return b, nil
}

// mapRegistered moves the files of registered locations from the working
// tree (root) to the extracted revision (dir), keeping those that exist
// there.
func mapRegistered(regs []appconfig.Resolved, root, dir string) []appconfig.Resolved {
	out := make([]appconfig.Resolved, len(regs))
	for i, r := range regs {
		r.Files = nil
		for _, f := range regs[i].Files {
			rel, err := filepath.Rel(root, f)
			if err != nil || strings.HasPrefix(rel, "..") {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, rel)); err == nil {
				r.Files = append(r.Files, filepath.Join(dir, rel))
			}
		}
		r.Message = "" // said once, for the working tree
		out[i] = r
	}
	return out
}

func (b *baseline) close() { os.RemoveAll(b.dir) }

// repoPath names a file by its path in the repository, from the working
// tree (cur) or from the extracted revision (old).
func (b *baseline) repoPath(old bool) func(string) string {
	return func(f string) string {
		if f == "" {
			return ""
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			return f
		}
		base := b.root
		if old {
			base = b.dir
		}
		if rel, err := filepath.Rel(base, abs); err == nil {
			return filepath.ToSlash(rel)
		}
		return f
	}
}
