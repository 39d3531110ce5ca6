package apispec

import (
	"bytes"
	"errors"
	"path/filepath"
	"strings"

	"github.com/bufbuild/protocompile/ast"
	"github.com/bufbuild/protocompile/parser"
	"github.com/bufbuild/protocompile/reporter"
)

// grpc parses a Protocol Buffers definition (a .proto file's text) and
// runs the checks that need no imports: syntax, field numbers, names
// declared twice, reserved ranges. Imports are not resolved.
func (c *checker) grpc() {
	var errs, warns []reporter.ErrorWithPos
	h := reporter.NewHandler(reporter.NewReporter(
		func(e reporter.ErrorWithPos) error { errs = append(errs, e); return nil },
		func(w reporter.ErrorWithPos) { warns = append(warns, w) },
	))
	name := filepath.Base(c.file)
	if !strings.HasSuffix(name, ".proto") {
		name = "definition.proto"
	}
	file, err := parser.Parse(name, bytes.NewReader(c.text), h)
	if file != nil && len(errs) == 0 {
		_, err = parser.ResultFromAST(file, true, h)
	}
	for _, e := range errs {
		c.report(SeverityError, protoPos(e), "the Protocol Buffers definition is not valid: "+protoMessage(e))
	}
	for _, w := range warns {
		c.report(SeverityWarning, protoPos(w), protoMessage(w))
	}
	if err != nil && len(errs) == 0 && !errors.Is(err, reporter.ErrInvalidSource) {
		c.report(SeverityError, pos{line: 1, col: 1}, "the Protocol Buffers definition is not valid: "+err.Error())
	}
	if file == nil {
		return
	}
	switch {
	case file.Syntax != nil:
		c.res.Version = file.Syntax.Syntax.AsString()
	case file.Edition != nil:
		c.res.Version = "editions " + file.Edition.Edition.AsString()
	}
	if len(errs) == 0 && !hasDecls(file) {
		c.report(SeverityWarning, pos{line: 1, col: 1}, "the definition declares no messages or services")
	}
}

func hasDecls(f *ast.FileNode) bool {
	for _, d := range f.Decls {
		switch d.(type) {
		case *ast.MessageNode, *ast.ServiceNode, *ast.EnumNode, *ast.ExtendNode:
			return true
		}
	}
	return false
}

func protoPos(e reporter.ErrorWithPos) pos {
	p := e.GetPosition()
	return pos{line: p.Line, col: p.Col}
}

func protoMessage(e reporter.ErrorWithPos) string {
	if u := e.Unwrap(); u != nil {
		return u.Error()
	}
	return e.Error()
}
