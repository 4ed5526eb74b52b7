package dev.terrace.agent.image;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed {@code WWW-Authenticate} header, e.g. {@code Bearer
 * realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:x:pull"}.
 *
 * @param scheme lower case: {@code bearer} or {@code basic}
 */
public record AuthChallenge(String scheme, Map<String, String> params) {

  public static AuthChallenge parse(String header) {
    String h = header.strip();
    int space = h.indexOf(' ');
    String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    int i = space < 0 ? h.length() : space + 1;
    while (i < h.length()) {
      while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) {
        i++;
      }
      int eq = h.indexOf('=', i);
      if (eq < 0) {
        break;
      }
      String key = h.substring(i, eq).strip().toLowerCase(Locale.ROOT);
      i = eq + 1;
      StringBuilder value = new StringBuilder();
      if (i < h.length() && h.charAt(i) == '"') {
        // Quoted string: commas inside (scope lists) belong to the value; \ escapes.
        for (i++; i < h.length() && h.charAt(i) != '"'; i++) {
          if (h.charAt(i) == '\\' && i + 1 < h.length()) {
            i++;
          }
          value.append(h.charAt(i));
        }
        i++;
      } else {
        for (; i < h.length() && h.charAt(i) != ','; i++) {
          value.append(h.charAt(i));
        }
      }
      params.put(key, value.toString().strip());
    }
    return new AuthChallenge(scheme, Map.copyOf(params));
  }

  public String param(String name) {
    return params.get(name);
  }
}
