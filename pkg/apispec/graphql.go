package apispec

import (
	"errors"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// graphql parses a GraphQL SDL definition: syntax errors are errors; what
// the schema validation finds (undefined types, bad extensions) warnings,
// since a definition may be one part of a larger (federated) schema.
func (c *checker) graphql() {
	src := &ast.Source{Name: c.file, Input: string(c.text)}
	doc, err := parser.ParseSchema(src)
	if err != nil {
		c.gqlErrors(err, SeverityError, "the GraphQL schema does not parse: ")
		return
	}
	if len(doc.Definitions)+len(doc.Extensions)+len(doc.Directives)+len(doc.Schema)+len(doc.SchemaExtension) == 0 {
		c.report(SeverityError, pos{line: 1, col: 1}, "the definition is empty: it defines no GraphQL types")
		return
	}
	sd, err := parser.ParseSchemas(validator.Prelude, src)
	if err != nil {
		return // the prelude does not clash with a parsed schema
	}
	if _, err := validator.ValidateSchemaDocument(sd); err != nil {
		var ge *gqlerror.Error
		if errors.As(err, &ge) && strings.HasPrefix(ge.Message, "Undefined directive ") {
			// Federation (@key, @link …) and gateways define directives
			// outside the subgraph's SDL; the rest is not checked past it.
			c.report(SeverityNotice, gqlPos(ge), fmt.Sprintf("the GraphQL schema was checked for syntax only: %s (it may be defined by a gateway or federation)", strings.TrimSuffix(ge.Message, ".")))
			return
		}
		c.gqlErrors(err, SeverityWarning, "the GraphQL schema is not valid: ")
	}
}

func (c *checker) gqlErrors(err error, sev, prefix string) {
	var list gqlerror.List
	var one *gqlerror.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = gqlerror.List{one}
	default:
		c.report(sev, pos{line: 1, col: 1}, prefix+err.Error())
		return
	}
	for _, e := range list {
		c.report(sev, gqlPos(e), prefix+e.Message)
	}
}

func gqlPos(e *gqlerror.Error) pos {
	if len(e.Locations) == 0 {
		return pos{line: 1, col: 1}
	}
	return pos{line: e.Locations[0].Line, col: e.Locations[0].Column}
}
