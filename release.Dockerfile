# The release image, built by GoReleaser (.goreleaser.yaml, dockers_v2) around
# the release binary; its labels (version, revision, created) come from
# GoReleaser's build flags. Keep this stage the same as Dockerfile's last.
FROM alpine:3.22@sha256:4b7ce07002c69e8f3d704a9c5d6fd3053be500b7f1c69fc0d80990c2ad8dd412
LABEL org.opencontainers.image.title="catalint" \
      org.opencontainers.image.description="Lints Backstage catalog-info.yaml files the way Backstage's catalog does" \
      org.opencontainers.image.source="https://github.com/catalint-dev/catalint" \
      org.opencontainers.image.documentation="https://github.com/catalint-dev/catalint#readme"
RUN apk add --no-cache git ca-certificates \
 && git config --system --add safe.directory '*' \
 && adduser -D -H -u 65532 catalint
ARG TARGETPLATFORM
COPY $TARGETPLATFORM/catalint /usr/local/bin/catalint
USER 65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/catalint"]
CMD ["check"]
