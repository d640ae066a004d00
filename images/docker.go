package images

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// Image is one image kmsconform built.
type Image struct {
	// Ref is REPOSITORY:TAG, e.g. "kmsconform/openssl:3.5.7".
	Ref string
	// ID is the image id.
	ID string
	// Line, Version, Suite and VersionString come from the labels.
	Line, Version, Suite, VersionString string
	// Size is the size as docker reports it, e.g. "95.2MB".
	Size string
	// Created is when the image was imported, as docker reports it.
	Created string
}

// DockerAvailable reports whether the docker CLI is installed and its
// daemon answers; the error says which of the two is missing.
func DockerAvailable(ctx context.Context) error {
	if _, err := exec.LookPath("docker"); err != nil {
		return fmt.Errorf("no docker CLI on PATH (install docker, e.g. `apt-get install docker.io`)")
	}
	if _, err := run(ctx, runSpec{name: "docker", args: []string{"version", "--format", "{{.Server.Version}}"}, timeout: 15 * time.Second}); err != nil {
		return fmt.Errorf("the docker daemon does not answer (start it, or set DOCKER_HOST): %v", err)
	}
	return nil
}

// List returns the images kmsconform manages, oldest line first.
func List(ctx context.Context) ([]Image, error) {
	out, err := run(ctx, runSpec{name: "docker", args: []string{"images", "--no-trunc",
		"--filter", "label=" + LabelManaged + "=true", "--format", "{{json .}}"}, timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("images: list: %w", err)
	}
	var imgs []Image
	ids := map[string]bool{}
	for _, ln := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if ln == "" {
			continue
		}
		var row struct{ ID, Repository, Tag, Size, CreatedAt string }
		if err := json.Unmarshal([]byte(ln), &row); err != nil {
			return nil, fmt.Errorf("images: list: cannot read docker's answer %q: %w", ln, err)
		}
		if ids[row.ID] {
			continue
		}
		ids[row.ID] = true
		imgs = append(imgs, Image{Ref: row.Repository + ":" + row.Tag, ID: row.ID, Size: row.Size, Created: row.CreatedAt})
	}
	for i := range imgs {
		labels, err := imageLabels(ctx, imgs[i].ID)
		if err != nil {
			return nil, err
		}
		imgs[i].Line = labels[LabelLine]
		imgs[i].Version = labels[LabelOpenSSL]
		imgs[i].Suite = labels[LabelSuite]
		imgs[i].VersionString = labels[LabelVersionString]
	}
	order := map[string]int{}
	for i, l := range Lines {
		order[l.Name] = i
	}
	sort.SliceStable(imgs, func(i, j int) bool { return order[imgs[i].Line] < order[imgs[j].Line] })
	return imgs, nil
}

// imageLabels returns the labels of image id.
func imageLabels(ctx context.Context, id string) (map[string]string, error) {
	out, err := run(ctx, runSpec{name: "docker", args: []string{"image", "inspect", "--format", "{{json .Config.Labels}}", id}, timeout: 30 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("images: inspect %s: %w", id, err)
	}
	labels := map[string]string{}
	if err := json.Unmarshal(out, &labels); err != nil {
		return nil, fmt.Errorf("images: inspect %s: cannot read labels %q: %w", id, strings.TrimSpace(string(out)), err)
	}
	return labels, nil
}

// Find returns the image built for line, or ok=false when there is none.
func Find(ctx context.Context, line string) (img Image, ok bool, err error) {
	l, err := LookupLine(line)
	if err != nil {
		return Image{}, false, err
	}
	imgs, err := List(ctx)
	if err != nil {
		return Image{}, false, err
	}
	for _, im := range imgs {
		if im.Line == l.Name {
			return im, true, nil
		}
	}
	return Image{}, false, nil
}

// Prune removes every image kmsconform built (and, first, any container
// left from them) and returns the references removed.
func Prune(ctx context.Context) ([]string, error) {
	if err := RemoveContainers(ctx, LabelManaged+"=true"); err != nil {
		return nil, err
	}
	imgs, err := List(ctx)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, im := range imgs {
		if _, err := run(ctx, runSpec{name: "docker", args: []string{"rmi", "--force", im.Ref}, timeout: 60 * time.Second}); err != nil {
			return removed, fmt.Errorf("images: prune %s: %w", im.Ref, err)
		}
		removed = append(removed, im.Ref)
	}
	return removed, nil
}

// RemoveContainers force-removes every container carrying label (KEY=VALUE).
func RemoveContainers(ctx context.Context, label string) error {
	out, err := run(ctx, runSpec{name: "docker", args: []string{"ps", "-aq", "--filter", "label=" + label}, timeout: 30 * time.Second})
	if err != nil {
		return fmt.Errorf("images: list containers with %s: %w", label, err)
	}
	ids := strings.Fields(string(out))
	if len(ids) == 0 {
		return nil
	}
	if _, err := run(ctx, runSpec{name: "docker", args: append([]string{"rm", "--force", "--volumes"}, ids...), timeout: 60 * time.Second}); err != nil {
		return fmt.Errorf("images: remove containers with %s: %w", label, err)
	}
	return nil
}
