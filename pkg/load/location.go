package load

// LocationTarget is one target of a Location entity.
type LocationTarget struct {
	// Node is the target's string value, for its position.
	Node *Node
	// Type is spec.type ("url", "file", …), "" when not given.
	Type string
}

// Text is the target as written.
func (t LocationTarget) Text() string { return t.Node.Text }

// Followable reports whether catalint can follow the target locally: a
// url or file target (or one of no type) that is not a remote URL.
func (t LocationTarget) Followable() bool {
	return (t.Type == "" || t.Type == "url" || t.Type == "file") && !IsRemote(t.Node.Text)
}

// Remote reports whether the target is a URL with a scheme.
func (t LocationTarget) Remote() bool { return IsRemote(t.Node.Text) }

// LocationTargets returns the string targets of a Location entity
// (spec.target and spec.targets), or nil for any other document.
func LocationTargets(root *Node) []LocationTarget {
	if root == nil || root.Kind != Map || root.GetString("kind") != "Location" {
		return nil
	}
	spec := root.Get("spec")
	if spec == nil || spec.Kind != Map {
		return nil
	}
	typ := spec.GetString("type")
	var out []LocationTarget
	if t := spec.Get("target"); t != nil && t.Kind == String {
		out = append(out, LocationTarget{Node: t, Type: typ})
	}
	if ts := spec.Get("targets"); ts != nil && ts.Kind == Seq {
		for _, t := range ts.Seq {
			if t.Kind == String {
				out = append(out, LocationTarget{Node: t, Type: typ})
			}
		}
	}
	return out
}
