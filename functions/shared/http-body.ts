export const textual = (contentType: string | undefined) => !contentType || /^(text\/|application\/(json|problem\+json|vc\+jwt|javascript))/.test(contentType);
