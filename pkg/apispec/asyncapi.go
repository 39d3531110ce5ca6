package apispec

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/catalint-dev/catalint/pkg/entity"
)

// AsyncAPI versions whose structure catalint knows.
var asyncVersions = []string{"2.0.0", "2.1.0", "2.2.0", "2.3.0", "2.4.0", "2.5.0", "2.6.0", "3.0.0", "3.1.0"}

// The fields of the objects the AsyncAPI JSON Schemas close with
// additionalProperties: false (x- extensions are always allowed).
var (
	async2Root      = []string{"asyncapi", "id", "info", "servers", "defaultContentType", "channels", "components", "tags", "externalDocs"}
	async3Root      = []string{"asyncapi", "id", "info", "servers", "defaultContentType", "channels", "operations", "components"}
	async2Info      = []string{"title", "version", "description", "termsOfService", "contact", "license"}
	async3Info      = []string{"title", "version", "description", "termsOfService", "contact", "license", "tags", "externalDocs"}
	async2Channel   = []string{"$ref", "parameters", "description", "servers", "publish", "subscribe", "deprecated", "bindings"}
	async3Channel   = []string{"$ref", "address", "messages", "title", "summary", "description", "servers", "parameters", "tags", "externalDocs", "bindings"}
	async2Operation = []string{"$ref", "traits", "summary", "description", "security", "tags", "externalDocs", "operationId", "bindings", "message"}
	async3Operation = []string{"$ref", "action", "channel", "messages", "reply", "title", "summary", "description", "security", "tags", "externalDocs", "bindings", "traits"}
)

func (c *checker) asyncapi() {
	root := c.tree("AsyncAPI")
	if root == nil {
		return
	}
	if root.Kind != yaml.MappingNode {
		c.report(SeverityError, at(root), fmt.Sprintf("an AsyncAPI definition must be a mapping with an asyncapi field, found %s", describe(root)))
		return
	}
	v, _ := get(root, "asyncapi")
	if v == nil {
		if placeholderText(c, root) {
			return
		}
		for _, f := range []string{"openapi", "swagger"} {
			if o, _ := get(root, f); o != nil {
				c.report(SeverityError, at(o), fmt.Sprintf("this is an OpenAPI definition (%s: %s), not an AsyncAPI one: set spec.type to openapi", f, o.Value))
				return
			}
		}
		c.report(SeverityError, at(root), "this is not an AsyncAPI definition: it has no asyncapi field (the AsyncAPI version, such as \"2.6.0\" or \"3.0.0\")")
		return
	}
	if !isString(v) || !slices.Contains(asyncVersions, v.Value) {
		msg := fmt.Sprintf("unsupported AsyncAPI version %s: catalint checks %s", describe(v), strings.Join(asyncVersions, ", "))
		if v.Kind == yaml.ScalarNode && (v.Tag == "!!float" || v.Tag == "!!int") {
			msg = fmt.Sprintf("asyncapi must be a string such as \"2.6.0\"; %s is read as a number: quote it", v.Value)
		}
		c.report(SeverityError, at(v), msg)
		return
	}
	c.res.Version = v.Value
	v3 := strings.HasPrefix(v.Value, "3.")
	rootFields, infoFields := async2Root, async2Info
	if v3 {
		rootFields, infoFields = async3Root, async3Info
	}
	c.allowed(root, rootFields, "the root of an AsyncAPI "+v.Value+" definition", map[string]string{
		"operations":   "operations are a root field from AsyncAPI 3.0; in 2.x they are the publish and subscribe of each channel",
		"tags":         "in AsyncAPI 3.0 tags moved into info",
		"externalDocs": "in AsyncAPI 3.0 externalDocs moved into info",
	})
	info, infoKey := get(root, "info")
	switch {
	case info == nil:
		c.report(SeverityError, at(root), "info is required (with title and version)")
	case info.Kind != yaml.MappingNode:
		c.report(SeverityError, at(infoKey), fmt.Sprintf("info must be a mapping, found %s", describe(info)))
	default:
		c.allowed(info, infoFields, "info", nil)
		for _, f := range []string{"title", "version"} {
			c.requireString(info, infoKey, "info", f)
		}
	}
	if id, _ := get(root, "id"); id != nil && !isString(id) {
		c.report(SeverityError, at(id), fmt.Sprintf("id must be a string (a URI), found %s", describe(id)))
	}
	ch, chKey := get(root, "channels")
	switch {
	case ch == nil && !v3:
		c.report(SeverityError, at(root), "channels is required in AsyncAPI 2.x (it may be empty: channels: {})")
	case ch != nil && ch.Kind != yaml.MappingNode:
		c.report(SeverityError, at(chKey), fmt.Sprintf("channels must be a mapping, found %s", describe(ch)))
	case ch != nil:
		c.channels(ch, v3)
	}
	if v3 {
		c.operations(root)
	}
	for _, f := range []string{"servers", "components"} {
		if n, k := get(root, f); n != nil && n.Kind != yaml.MappingNode {
			c.report(SeverityError, at(k), fmt.Sprintf("%s must be a mapping, found %s", f, describe(n)))
		}
	}
	c.checkRefs(root)
}

// allowed reports the keys of a mapping that are not fields of its object.
func (c *checker) allowed(n *yaml.Node, fields []string, where string, hints map[string]string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if strings.HasPrefix(k.Value, "x-") || k.Tag == "!!merge" || slices.Contains(fields, k.Value) {
			continue
		}
		msg := fmt.Sprintf("%q is not a field of %s", k.Value, where)
		if h, ok := hints[k.Value]; ok {
			msg += ": " + h
		} else if cl := entity.Closest(k.Value, fields, 1); len(cl) > 0 {
			msg += fmt.Sprintf(" (did you mean %q?)", cl[0])
		} else {
			msg += fmt.Sprintf(" (fields: %s; extensions start with x-)", strings.Join(fields, ", "))
		}
		c.report(SeverityError, at(k), msg)
	}
}

// requireString reports a field of a mapping that is missing or not a
// non-empty string.
func (c *checker) requireString(n, nKey *yaml.Node, where, field string) {
	v, k := get(n, field)
	switch {
	case v == nil:
		p := at(nKey)
		if nKey == nil {
			p = at(n)
		}
		c.report(SeverityError, p, fmt.Sprintf("%s.%s is required", where, field))
	case !isString(v):
		c.report(SeverityError, at(v), fmt.Sprintf("%s.%s must be a string, found %s: quote it", where, field, describe(v)))
	case strings.TrimSpace(v.Value) == "":
		c.report(SeverityError, at(k), fmt.Sprintf("%s.%s must not be empty", where, field))
	}
}

func (c *checker) channels(ch *yaml.Node, v3 bool) {
	for i := 0; i+1 < len(ch.Content); i += 2 {
		name, item := ch.Content[i], resolve(ch.Content[i+1])
		where := fmt.Sprintf("channel %q", name.Value)
		if item == nil || item.Kind != yaml.MappingNode {
			if item != nil && item.Tag == "!!null" {
				continue // an empty channel
			}
			c.report(SeverityError, at(name), fmt.Sprintf("%s must be a mapping, found %s", where, describe(item)))
			continue
		}
		if !v3 {
			c.allowed(item, async2Channel, where, map[string]string{
				"address":  "address is a channel field from AsyncAPI 3.0; in 2.x the channel's key is its address",
				"messages": "messages is a channel field from AsyncAPI 3.0; in 2.x messages are under publish/subscribe",
			})
			for _, op := range []string{"publish", "subscribe"} {
				o, ok := get(item, op)
				if o == nil {
					continue
				}
				if o.Kind != yaml.MappingNode {
					c.report(SeverityError, at(ok), fmt.Sprintf("%s: %s must be a mapping, found %s", where, op, describe(o)))
					continue
				}
				c.allowed(o, async2Operation, where+" "+op, nil)
			}
			continue
		}
		c.allowed(item, async3Channel, where, map[string]string{
			"publish":   "AsyncAPI 3.0 moved operations out of channels: declare them under the root operations with action: send or receive",
			"subscribe": "AsyncAPI 3.0 moved operations out of channels: declare them under the root operations with action: send or receive",
		})
		if m, mk := get(item, "messages"); m != nil && m.Kind != yaml.MappingNode {
			c.report(SeverityError, at(mk), fmt.Sprintf("%s: messages must be a mapping of message names, found %s", where, describe(m)))
		}
	}
}

// operations checks the AsyncAPI 3 operations: an action and a $ref to a
// channel of the document, whose messages they may name.
func (c *checker) operations(root *yaml.Node) {
	ops, opsKey := get(root, "operations")
	if ops == nil {
		return
	}
	if ops.Kind != yaml.MappingNode {
		c.report(SeverityError, at(opsKey), fmt.Sprintf("operations must be a mapping, found %s", describe(ops)))
		return
	}
	for i := 0; i+1 < len(ops.Content); i += 2 {
		name, op := ops.Content[i], resolve(ops.Content[i+1])
		where := fmt.Sprintf("operation %q", name.Value)
		if op == nil || op.Kind != yaml.MappingNode {
			c.report(SeverityError, at(name), fmt.Sprintf("%s must be a mapping, found %s", where, describe(op)))
			continue
		}
		if r, _ := get(op, "$ref"); r != nil {
			continue
		}
		c.allowed(op, async3Operation, where, nil)
		act, _ := get(op, "action")
		switch {
		case act == nil:
			c.report(SeverityError, at(name), where+": action is required (send or receive)")
		case !isString(act) || act.Value != "send" && act.Value != "receive":
			msg := fmt.Sprintf("%s: action must be send or receive, found %s", where, describe(act))
			switch act.Value {
			case "publish":
				msg += " (AsyncAPI 2's publish is now the application's receive)"
			case "subscribe":
				msg += " (AsyncAPI 2's subscribe is now the application's send)"
			}
			c.report(SeverityError, at(act), msg)
		}
		chRef := ""
		chNode, chKey := get(op, "channel")
		switch {
		case chNode == nil:
			c.report(SeverityError, at(name), where+": channel is required (channel: {$ref: '#/channels/…'})")
		case chNode.Kind != yaml.MappingNode:
			c.report(SeverityError, at(chNode), fmt.Sprintf("%s: channel must be a reference ($ref: '#/channels/…'), found %s", where, describe(chNode)))
		default:
			r, _ := get(chNode, "$ref")
			if r == nil {
				c.report(SeverityError, at(chKey), where+": channel must be a reference ($ref: '#/channels/…'), not a channel defined in place")
			} else {
				chRef = r.Value
			}
		}
		// "It MUST contain a subset of the messages defined in the channel
		// referenced in this operation."
		msgs, _ := get(op, "messages")
		if msgs == nil || msgs.Kind != yaml.SequenceNode || !strings.HasPrefix(chRef, "#/channels/") {
			continue
		}
		for _, m := range msgs.Content {
			r, _ := get(m, "$ref")
			if r == nil {
				c.report(SeverityError, at(m), where+": each of messages must be a reference ($ref) to a message of its channel")
				continue
			}
			if strings.HasPrefix(r.Value, "#/") && !strings.HasPrefix(r.Value, chRef+"/messages/") {
				c.report(SeverityError, at(r), fmt.Sprintf("%s: message %s is not one of its channel's messages (%s/messages/…)", where, r.Value, chRef))
			}
		}
	}
}
