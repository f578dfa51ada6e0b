package io.gleaner.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;

/**
 * A failed call, or a failed item of a batch or stream: its gRPC status code, the server's message and
 * the {@code google.rpc.BadRequest} field violations sent with {@code INVALID_ARGUMENT}.
 */
public final class GleanerException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** One bad field of a request. */
  public record FieldViolation(String field, String description) {}

  private final Status.Code code;
  private final transient List<FieldViolation> violations;

  GleanerException(Status.Code code, String message, List<FieldViolation> violations, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.violations = List.copyOf(violations);
  }

  /** The gRPC status code. */
  public Status.Code code() {
    return code;
  }

  /** The field violations, empty unless the code is {@code INVALID_ARGUMENT}. */
  public List<FieldViolation> violations() {
    return violations;
  }

  /** Converts the error of a failed call, reading its rich status details when present. */
  public static GleanerException fromStatusException(StatusRuntimeException e) {
    com.google.rpc.Status rich = StatusProto.fromThrowable(e);
    if (rich != null) {
      return fromStatus(rich, e);
    }
    Status status = e.getStatus();
    String description = status.getDescription() == null ? "" : status.getDescription();
    return new GleanerException(status.getCode(), description, List.of(), e);
  }

  /** Reads a {@code google.rpc.Status}, as found in the {@code error} of a batch or stream item. */
  public static GleanerException fromStatus(com.google.rpc.Status status) {
    return fromStatus(status, null);
  }

  private static GleanerException fromStatus(com.google.rpc.Status status, Throwable cause) {
    List<FieldViolation> violations = new ArrayList<>();
    for (Any detail : status.getDetailsList()) {
      if (detail.is(BadRequest.class)) {
        try {
          for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
            violations.add(new FieldViolation(v.getField(), v.getDescription()));
          }
        } catch (InvalidProtocolBufferException malformed) {
          // A detail that does not decode is skipped: the code and message still describe the error.
        }
      }
    }
    return new GleanerException(Status.fromCodeValue(status.getCode()).getCode(), status.getMessage(), violations, cause);
  }
}
