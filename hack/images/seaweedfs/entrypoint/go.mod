// The object store image's entrypoint (hack/images/seaweedfs/build.sh): the standard library only.
module atrium.dev/hack/images/seaweedfs/entrypoint

go 1.26
