# catalint in a container, built from this source:
#   docker build -t catalint .
#   docker run --rm -v "$PWD:/src" catalint check
# The release image (ghcr.io/catalint-dev/catalint) is built by GoReleaser
# from release.Dockerfile, with the same final stage around the release
# binary. The bases are pinned by digest (update tag and digest together).
FROM golang:1.26@sha256:3aff6657219a4d9c14e27fb1d8976c49c29fddb70ba835014f477e1c70636647 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X github.com/catalint-dev/catalint/pkg/cli.Version=${VERSION}" -o /catalint ./cmd/catalint

# Alpine rather than distroless: git is in the image, so --new-from-rev
# works on a mounted repository.
FROM alpine:3.22@sha256:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412
ARG VERSION=dev
LABEL org.opencontainers.image.title="catalint" \
      org.opencontainers.image.description="Lints Backstage catalog-info.yaml files the way Backstage's catalog does" \
      org.opencontainers.image.source="https://github.com/catalint-dev/catalint" \
      org.opencontainers.image.documentation="https://github.com/catalint-dev/catalint#readme" \
      org.opencontainers.image.version="${VERSION}"
# A mounted repository belongs to another user than the image's: without
# safe.directory git refuses it ("dubious ownership").
RUN apk add --no-cache git ca-certificates \
 && git config --system --add safe.directory '*' \
 && adduser -D -H -u 65532 catalint
COPY --from=build /catalint /usr/local/bin/catalint
USER 65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/catalint"]
CMD ["check"]
