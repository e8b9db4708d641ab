import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImageModel } from "../config/model";

/** An image's id and root device name (where a launch template must map its root volume). */
export interface ImageInfo {
  readonly id: pulumi.Input<string>;
  readonly rootDeviceName: pulumi.Output<string>;
}

/** Looks the image up: by id (for its root device), or the most recent match of an owner/name filter. */
export function imageInfo(image: ImageModel, parent: pulumi.Resource): ImageInfo {
  const opts = { parent };
  if (image.kind === "id") {
    const ami = aws.ec2.getAmiOutput(
      { mostRecent: true, filters: [{ name: "image-id", values: [image.id] }] },
      opts,
    );
    return { id: image.id, rootDeviceName: ami.apply((a) => a.rootDeviceName) };
  }
  const ami = aws.ec2.getAmiOutput(
    {
      mostRecent: true,
      owners: [...image.owners],
      filters: [
        { name: "name", values: [image.namePattern] },
        { name: "architecture", values: [image.architecture] },
        { name: "virtualization-type", values: ["hvm"] },
      ],
    },
    opts,
  );
  return { id: ami.apply((a) => a.id), rootDeviceName: ami.apply((a) => a.rootDeviceName) };
}
